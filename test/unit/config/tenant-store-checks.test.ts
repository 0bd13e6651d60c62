import { describe, expect, it } from 'vitest';
import { configurationDiff } from '../../../src/config/tenants/configuration-diff.js';
import { rawSecretIssues } from '../../../src/config/tenants/raw-secrets.js';
import { guideCrmConfig } from '../../support/guide-fixtures.js';

describe('tenants apply: raw credentials', () => {
  it('accepts every guide block as written: its credentials are secret: references', () => {
    for (const block of ['hubspot', 'salesforce', 'pipedrive', 'custom-rest'] as const) {
      expect(rawSecretIssues({ crm_config: guideCrmConfig(block) })).toEqual([]);
    }
  });

  it('names each credential written as a value, wherever it is, without repeating the value', () => {
    const issues = rawSecretIssues({
      callrail: { signing_secret: 'whsec_live_1234', api_key: 'secret:projects/p/secrets/k/versions/1' },
      crm_config: { type: 'custom', authentication: { type: 'bearer', token: 'eyJhbGciOi' } },
      forms: { hmac_secret: 'abc' },
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      'callrail.signing_secret',
      'crm_config.authentication.token',
      'forms.hmac_secret',
    ]);
    expect(JSON.stringify(issues)).not.toMatch(/whsec_live_1234|eyJhbGciOi/);
  });

  it("names a notifications block's Slack webhook URL and Twilio auth token written as values", () => {
    const issues = rawSecretIssues({
      notifications: {
        channels: [{ type: 'slack', webhook_url: 'https://hooks.slack.com/services/T0/B0/abc' }],
        sms: { account_sid: 'AC1', auth_token: 'live-token', from: '+15005550006' },
      },
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      'notifications.channels[0].webhook_url',
      'notifications.sms.auth_token',
    ]);
  });
});

describe('tenants diff', () => {
  it('prints each changed, added and removed path once, whatever the key order', () => {
    const before = {
      crm_config: { type: 'hubspot', field_mappings: { phone: 'customer_phone', city: 'x' } },
    };
    const after = {
      crm_config: { field_mappings: { email: 'customer_email', phone: 'customer_phone' }, type: 'hubspot' },
    };
    expect(configurationDiff(before, after)).toEqual([
      '- crm_config.field_mappings.city: "x"',
      '+ crm_config.field_mappings.email: "customer_email"',
    ]);
    expect(configurationDiff({ a: [1, 2] }, { a: [1, 3] })).toEqual(['- a[1]: 2', '+ a[1]: 3']);
  });
});
