import { afterEach, describe, expect, it } from 'vitest';
import { tenantConfigSchema } from '../../../../src/config/tenants/tenant-config.js';
import { checkHubSpotConnectivity } from '../../../../src/crm/hubspot/connectivity-check.js';
import { createLogger } from '../../../../src/observability/logger.js';
import { EnvSecretResolver } from '../../../../src/secrets/env-secret-resolver.js';
import { systemClock } from '../../../../src/time/clock.js';
import {
  DEFAULT_TOKEN,
  type HubSpotEmulator,
  startHubSpotEmulator,
} from '../../../emulators/hubspot/emulator.js';
import { emulatorOutbound } from '../../../support/emulator-outbound.js';

describe('leadstream crm test for HubSpot', () => {
  let emulator: HubSpotEmulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  async function check(baseUrl: string, token: string) {
    const tenant = tenantConfigSchema.parse({
      tenant_id: 't',
      crm_config: { type: 'hubspot', base_url: baseUrl, api_token: token },
    });
    const config = tenant.crm_config;
    if (config.type !== 'hubspot') throw new Error('unreachable');
    return checkHubSpotConnectivity({
      tenantId: 't',
      config,
      secrets: new EnvSecretResolver({}),
      outbound: emulatorOutbound,
      clock: systemClock,
      timeoutMs: 2_000,
      logger: createLogger({ level: 'silent' }),
    });
  }

  it('says the token works when HubSpot answers', async () => {
    emulator = await startHubSpotEmulator();
    expect(await check(emulator.url, DEFAULT_TOKEN)).toMatchObject({ ok: true });
  });

  it('says the token was refused, pointing at api_token', async () => {
    emulator = await startHubSpotEmulator();
    const result = await check(emulator.url, 'pat-na1-wrong');
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^HubSpot refused the token: check crm_config.api_token/);
  });

  it('says HubSpot could not be reached, pointing at base_url', async () => {
    const result = await check('http://127.0.0.1:1', DEFAULT_TOKEN);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^HubSpot could not be reached: check crm_config.base_url/);
  });
});
