import { describe, expect, it } from 'vitest';
import { checkSalesforceConnectivity } from '../../../../src/crm/salesforce/connectivity-check.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { rsaKeyPair, startHarness } from './adapter-harness.js';
import { crmTarget } from './crm-target.js';

const start = harnessPerTest(startHarness);

async function check(options: Parameters<typeof startHarness>[0] = {}) {
  return checkSalesforceConnectivity(crmTarget(await start(options)));
}

const MAPPING = {
  object_mappings: { lead: { LastName: 'customer_name_last', AI_Lead_Score__c: 'ai_analysis.lead_score' } },
};

describe('checkSalesforceConnectivity', () => {
  it('says the org can be used, with its daily budget', async () => {
    const result = await check({ crmConfig: MAPPING });
    expect(result).toEqual({
      ok: true,
      message:
        'Salesforce accepted the JWT assertion and Lead has every mapped field; 99999 of 100000 daily API requests left',
    });
  });

  it('names the mapped custom field the org lacks', async () => {
    const result = await check({ crmConfig: MAPPING, emulator: { guideFields: false } });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('Lead has no field AI_Lead_Score__c');
  });

  it('says what to fix when the connected app refuses the key', async () => {
    const result = await check({ privateKeyPem: rsaKeyPair().privateKeyPem });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Salesforce refused the credentials: .*invalid assertion/);
  });
});
