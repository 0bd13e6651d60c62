import { describe, expect, it } from 'vitest';
import { checkZohoConnectivity } from '../../../../src/crm/zoho/connectivity-check.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, startHarness } from './adapter-harness.js';

const start = harnessPerTest(startHarness);

async function check(options: Parameters<typeof startHarness>[0] = {}) {
  const harness = await start(options);
  const { tenant, secrets, outbound } = harness.context;
  if (tenant.crm_config.type !== 'zoho') throw new Error('a Zoho tenant');
  return checkZohoConnectivity({
    tenantId: tenant.tenant_id,
    config: tenant.crm_config,
    secrets,
    clock: harness.clock,
    timeoutMs: 5_000,
    outbound,
    logger: harness.context.logger,
  });
}

describe('checkZohoConnectivity', () => {
  it('says the module has every mapped field', async () => {
    const result = await check({
      crmConfig: { field_mappings: { Phone: 'customer_phone', AI_Lead_Score: 'ai_analysis.lead_score' } },
    });
    expect(result.ok).toBe(true);
    expect(result.message).toMatch(
      /^Zoho accepted the refresh token \(http:\/\/127\.0\.0\.1:\d+\) and Leads has every mapped field$/,
    );
  });

  it('names the mapped field Zoho would silently drop', async () => {
    const result = await check({
      crmConfig: { field_mappings: { Phone: 'customer_phone', AI_Summary: 'customer_city' } },
    });
    expect(result).toEqual({
      ok: false,
      message:
        'Zoho accepted the refresh token, but Leads has no field AI_Summary: create it in Zoho CRM (Setup → Modules and Fields) or fix field_mappings / duplicate_check_fields',
    });
  });

  it('still vouches for the credentials when the client may not read field settings', async () => {
    const result = await check({
      emulator: {
        clients: [
          {
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
            refreshTokens: [REFRESH_TOKEN],
            scopes: ['ZohoCRM.modules.ALL'],
          },
        ],
      },
    });
    expect(result.ok).toBe(true);
    expect(result.message).toContain('grant the client ZohoCRM.settings.fields.READ');
  });

  it('says what to fix when the refresh token is refused', async () => {
    const result = await check({
      emulator: { clients: [{ clientId: CLIENT_ID, clientSecret: 'rotated', refreshTokens: [] }] },
    });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Zoho refused the credentials: .*invalid_client/);
  });
});
