import { describe, expect, it } from 'vitest';
import {
  PipedriveClientFactory,
  pipedriveBasePath,
  pipedriveV1BasePath,
} from '../../../../src/crm/pipedrive/client-factory.js';
import { DEFAULT_TOKEN } from '../../../emulators/pipedrive/emulator.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { emulatorOutbound } from '../../../support/emulator-outbound.js';
import { startHarness } from './adapter-harness.js';

const start = harnessPerTest(startHarness);

describe('Pipedrive base URLs', () => {
  it('takes the API from company_domain unless api_base_url overrides it', () => {
    expect(pipedriveBasePath({ company_domain: 'acme.pipedrive.com' })).toBe(
      'https://acme.pipedrive.com/api/v2',
    );
    expect(
      pipedriveBasePath({
        company_domain: 'acme.pipedrive.com',
        api_base_url: 'http://127.0.0.1:8092/api/v2/',
      }),
    ).toBe('http://127.0.0.1:8092/api/v2');
  });

  it('puts v1 beside v2, for users/me', () => {
    expect(pipedriveV1BasePath('https://acme.pipedrive.com/api/v2')).toBe(
      'https://acme.pipedrive.com/api/v1',
    );
    expect(pipedriveV1BasePath('http://proxy.internal:8080/pipedrive')).toBe(
      'http://proxy.internal:8080/api/v1',
    );
  });
});

describe('PipedriveClientFactory', () => {
  it('sends the token as the x-api-token header, never in the URL', async () => {
    const harness = await start();
    const { tenant, secrets } = harness.context;
    if (tenant.crm_config.type !== 'pipedrive') throw new Error('a Pipedrive tenant');
    const client = await new PipedriveClientFactory().clientFor(
      't',
      tenant.crm_config,
      secrets,
      emulatorOutbound,
    );
    await client.personFields.getPersonFields({});
    await client.users.getCurrentUser();
    expect(harness.emulator.requests.map((r) => r.auth)).toEqual(['header', 'header']);
  });

  it('builds a new client when the secret resolves to a rotated token', async () => {
    const harness = await start({ emulator: { tokens: [DEFAULT_TOKEN, 'rotated-token'] } });
    const { tenant } = harness.context;
    if (tenant.crm_config.type !== 'pipedrive') throw new Error('a Pipedrive tenant');
    const factory = new PipedriveClientFactory();
    let token = DEFAULT_TOKEN;
    const secrets = { resolve: async () => token };
    const first = await factory.clientFor('t', tenant.crm_config, secrets, emulatorOutbound);
    expect(await factory.clientFor('t', tenant.crm_config, secrets, emulatorOutbound)).toBe(first);
    token = 'rotated-token';
    expect(await factory.clientFor('t', tenant.crm_config, secrets, emulatorOutbound)).not.toBe(first);
  });

  it("drops a tenant's client when its configuration changes (a new version from the tenant store)", async () => {
    const harness = await start();
    const { tenant, secrets } = harness.context;
    if (tenant.crm_config.type !== 'pipedrive') throw new Error('a Pipedrive tenant');
    const factory = new PipedriveClientFactory();
    const first = await factory.clientFor('t', tenant.crm_config, secrets, emulatorOutbound);
    expect(await factory.clientFor('t', tenant.crm_config, secrets, emulatorOutbound)).toBe(first);
    const changed = { ...tenant.crm_config, stage_id: 3 };
    expect(await factory.clientFor('t', changed, secrets, emulatorOutbound)).not.toBe(first);
  });
});
