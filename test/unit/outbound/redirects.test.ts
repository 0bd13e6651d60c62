import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { tenantConfigSchema } from '../../../src/config/tenants/tenant-config.js';
import { CustomRestAdapter } from '../../../src/crm/custom/custom-rest-adapter.js';
import { HubSpotClientFactory } from '../../../src/crm/hubspot/client-factory.js';
import { callHubSpot } from '../../../src/crm/hubspot/error-classification.js';
import { PipedriveClientFactory } from '../../../src/crm/pipedrive/client-factory.js';
import { EnvSecretResolver } from '../../../src/secrets/env-secret-resolver.js';
import { systemClock } from '../../../src/time/clock.js';
import { emulatorOutbound } from '../../support/emulator-outbound.js';
import { guideCrmConfig } from '../../support/guide-fixtures.js';
import { commandFor, quiet, secret, tenant } from '../crm/custom/custom-harness.js';

/** A CRM that answers every request with a 307 to `elsewhere`, which counts what reaches it. */
async function redirectingCrm(): Promise<{ url: string; reachedElsewhere: () => number }> {
  let reached = 0;
  const elsewhere = createServer((_request, response) => {
    reached += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  const crm = createServer((request, response) => {
    response.writeHead(307, { location: `${urlOf(elsewhere)}${request.url}` }).end();
  });
  for (const server of [elsewhere, crm]) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  return { url: urlOf(crm), reachedElsewhere: () => reached };
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('a CRM answering with a redirect', () => {
  it("HubSpot's SDK does not follow it (it would, by itself): the call fails permanently", async () => {
    const crm = await redirectingCrm();
    const config = tenantConfigSchema.parse({
      tenant_id: 't',
      crm_config: { type: 'hubspot', api_token: 'token-1', base_url: crm.url },
    }).crm_config;
    if (config.type !== 'hubspot') throw new Error('a HubSpot tenant');
    const client = await new HubSpotClientFactory().clientFor(
      't',
      config,
      new EnvSecretResolver({}),
      emulatorOutbound,
    );
    await expect(
      callHubSpot('contacts.getPage', () => client.crm.contacts.basicApi.getPage(1), {
        clock: systemClock,
        timeoutMs: 5_000,
      }),
    ).rejects.toMatchObject({ type: 'outbound_url_refused', retryable: false });
    expect(crm.reachedElsewhere()).toBe(0);
  });

  it("Pipedrive's axios does not follow it", async () => {
    const crm = await redirectingCrm();
    const config = tenantConfigSchema.parse({
      tenant_id: 't',
      crm_config: {
        ...guideCrmConfig('pipedrive'),
        api_token: 'token-1',
        api_base_url: `${crm.url}/api/v2`,
      },
    }).crm_config;
    if (config.type !== 'pipedrive') throw new Error('a Pipedrive tenant');
    const client = await new PipedriveClientFactory().clientFor(
      't',
      config,
      new EnvSecretResolver({}),
      emulatorOutbound,
    );
    await expect(client.users.getCurrentUser()).rejects.toMatchObject({ response: { status: 307 } });
    expect(crm.reachedElsewhere()).toBe(0);
  });

  it('custom REST does not follow it', async () => {
    const crm = await redirectingCrm();
    const config = tenant({
      ...guideCrmConfig('custom-rest'),
      api_base_url: `${crm.url}/v1`,
      authentication: { type: 'bearer', token: secret('crm-token') },
    });
    await expect(new CustomRestAdapter().execute(commandFor(config), quiet(config))).rejects.toThrow();
    expect(crm.reachedElsewhere()).toBe(0);
  });
});
