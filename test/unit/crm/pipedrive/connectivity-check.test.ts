import { describe, expect, it } from 'vitest';
import { checkPipedriveConnectivity } from '../../../../src/crm/pipedrive/connectivity-check.js';
import { systemClock } from '../../../../src/time/clock.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { emulatorOutbound } from '../../../support/emulator-outbound.js';
import { type Harness, startHarness } from './adapter-harness.js';

const start = harnessPerTest(startHarness);
let harness: Harness | undefined;

async function check(options: Parameters<typeof startHarness>[0] = {}) {
  harness = await start(options);
  const { tenant, secrets } = harness.context;
  if (tenant.crm_config.type !== 'pipedrive') throw new Error('a Pipedrive tenant');
  return checkPipedriveConnectivity({
    tenantId: tenant.tenant_id,
    config: tenant.crm_config,
    secrets,
    clock: systemClock,
    timeoutMs: 2_000,
    outbound: emulatorOutbound,
    logger: harness.context.logger,
  });
}

describe('leadstream crm test for Pipedrive', () => {
  it('says the company can be used when the token, pipeline, stage and custom fields are right', async () => {
    const result = await check();
    expect(result).toEqual({
      ok: true,
      message:
        'Pipedrive accepted the token for Acme Remodeling; the pipeline, stage and every configured custom field exist',
    });
    expect(harness?.emulator.requestsTo('GET', '/api/v1/users/me')).toHaveLength(1);
  });

  it('says the token was refused, pointing at api_token', async () => {
    const result = await check({ token: 'expired-token' });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Pipedrive refused the API token: check crm_config.api_token/);
  });

  it('names the configured custom fields the company lacks', async () => {
    const result = await check({
      emulator: { customFields: { person: [{ name: 'Call Recording URL', type: 'varchar' }], deal: [] } },
      crmConfig: { deal_custom_fields: { timeline: 'ai_analysis.timeline' } },
    });
    expect(result.ok).toBe(false);
    expect(result.message).toBe(
      'Pipedrive accepted the token for Acme Remodeling, but has no custom field call_transcript (person), ai_project_type (person), ai_lead_score (person), timeline (deal): create them in Pipedrive or fix the mapping',
    );
  });

  it('says when the stage is in another pipeline, or the pipeline does not exist', async () => {
    const otherPipeline = await check({ crmConfig: { stage_id: 3 } });
    expect(otherPipeline.message).toBe(
      'Pipedrive accepted the token for Acme Remodeling, but stage_id 3 belongs to pipeline 2, not to pipeline_id 1: fix crm_config',
    );
    const noPipeline = await check({ crmConfig: { pipeline_id: 9 } });
    expect(noPipeline.ok).toBe(false);
    expect(noPipeline.message).toContain('pipeline_id 9 is no pipeline of this company');
  });

  it('says Pipedrive could not be reached, pointing at company_domain', async () => {
    const result = await check({ crmConfig: { api_base_url: 'http://127.0.0.1:1/api/v2' } });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Pipedrive could not be reached: check crm_config.company_domain/);
  });
});
