import { describe, expect, it } from 'vitest';
import { crmConfigSchema } from '../../../src/config/tenants/crm-config.js';
import { crmRecordLink } from '../../../src/notifications/crm-record-link.js';
import { guideCrmConfig } from '../../support/guide-fixtures.js';

describe('the CRM record a notification links to', () => {
  it('opens the HubSpot contact, the Salesforce lead and the Pipedrive person', () => {
    expect(crmRecordLink(crmConfigSchema.parse(guideCrmConfig('hubspot')), '501')).toBe(
      'https://app.hubspot.com/contacts/12345678/record/0-1/501',
    );
    const salesforce = crmConfigSchema.parse(guideCrmConfig('salesforce'));
    expect(crmRecordLink(salesforce, '00Q5e00000AbCdE')).toMatch(
      /^https:\/\/[^/]+\/lightning\/r\/Lead\/00Q5e00000AbCdE\/view$/,
    );
    expect(crmRecordLink(crmConfigSchema.parse(guideCrmConfig('pipedrive')), '42')).toMatch(
      /^https:\/\/[^/]+\/person\/42$/,
    );
  });

  it('gives no link where the configuration cannot say where the record opens', () => {
    const { portal_id: _portal, ...hubspot } = guideCrmConfig('hubspot');
    expect(crmRecordLink(crmConfigSchema.parse(hubspot), '501')).toBeNull();
    expect(
      crmRecordLink(crmConfigSchema.parse({ type: 'monday', api_token: 'x', board_id: '1' }), '9'),
    ).toBeNull();
  });
});
