import { describe, expect, it } from 'vitest';
import { checkMondayConnectivity } from '../../../../src/crm/monday/connectivity-check.js';
import { systemClock } from '../../../../src/time/clock.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { startHarness } from './adapter-harness.js';

const start = harnessPerTest(startHarness);

async function check(options: Parameters<typeof startHarness>[0] = {}) {
  const harness = await start(options);
  const { tenant, secrets, outbound } = harness.context;
  if (tenant.crm_config.type !== 'monday') throw new Error('a Monday tenant');
  return checkMondayConnectivity({
    tenantId: tenant.tenant_id,
    config: tenant.crm_config,
    secrets,
    clock: systemClock,
    timeoutMs: 5_000,
    outbound,
    logger: harness.context.logger,
  });
}

const MAPPING = {
  group_id: 'topics',
  column_mappings: { Phone: 'customer_phone', 'Lead Score': 'ai_analysis.lead_score' },
};

describe('checkMondayConnectivity', () => {
  it('says the board can be used', async () => {
    expect(await check({ crmConfig: MAPPING })).toEqual({
      ok: true,
      message:
        'Monday accepted the token (Integration User) and board "Leads" has every mapped column and the group',
    });
  });

  it('names the mapped column titles the board lacks', async () => {
    const result = await check({
      crmConfig: { column_mappings: { 'AI Summary': 'customer_city', Phone: 'customer_phone' } },
    });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('has no column titled "AI Summary"');
  });

  it('says when the group or the board is not there', async () => {
    expect((await check({ crmConfig: { group_id: 'Hot leads' } })).message).toContain(
      'has no group Hot leads',
    );
    expect((await check({ crmConfig: { board_id: '77' } })).message).toContain('sees no board 77');
  });

  it('says what to fix when Monday refuses the token', async () => {
    const result = await check({ emulator: { tokens: ['other'] } });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Monday refused the API token/);
  });
});
