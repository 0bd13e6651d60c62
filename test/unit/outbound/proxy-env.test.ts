import { afterEach, describe, expect, it, vi } from 'vitest';
import { PipedriveClientFactory } from '../../../src/crm/pipedrive/client-factory.js';
import { harnessPerTest } from '../../support/crm-adapter-tests.js';
import { startHarness } from '../crm/pipedrive/adapter-harness.js';

const start = harnessPerTest(startHarness);

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('a proxy named in the environment', () => {
  it("is not used for Pipedrive: axios would connect to it, and the guard would check the proxy's address instead of the CRM's", async () => {
    const { emulator, context } = await start();
    vi.stubEnv('HTTP_PROXY', 'http://127.0.0.1:9');
    vi.stubEnv('http_proxy', 'http://127.0.0.1:9');
    const { tenant, secrets, outbound } = context;
    if (tenant.crm_config.type !== 'pipedrive') throw new Error('a Pipedrive tenant');
    const client = await new PipedriveClientFactory().clientFor('t', tenant.crm_config, secrets, outbound);
    await client.users.getCurrentUser();
    expect(emulator.requests).toHaveLength(1);
  });
});
