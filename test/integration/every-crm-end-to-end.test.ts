import { generateKeyPairSync } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryTenantSource } from '../../src/config/tenants/directory-tenant-source.js';
import { type TenantConfig, tenantConfigSchema } from '../../src/config/tenants/tenant-config.js';
import { crmCatalog } from '../../src/crm/catalog.js';
import type { CrmType } from '../../src/events/crm-command.js';
import { createLogger } from '../../src/observability/logger.js';
import { type RunningLeadstream, startLeadstream } from '../../src/roles/runtime.js';
import { EnvSecretResolver } from '../../src/secrets/env-secret-resolver.js';
import { fixedClock } from '../../src/time/clock.js';
import { type HubSpotEmulator, startHubSpotEmulator } from '../emulators/hubspot/emulator.js';
import { defineGuideProperties } from '../emulators/hubspot/guide-properties.js';
import { type MondayEmulator, startMondayEmulator } from '../emulators/monday/emulator.js';
import {
  DEFAULT_TOKEN as PIPEDRIVE_TOKEN,
  type PipedriveEmulator,
  startPipedriveEmulator,
} from '../emulators/pipedrive/emulator.js';
import { type SalesforceEmulator, startSalesforceEmulator } from '../emulators/salesforce/emulator.js';
import { startZohoEmulator, type ZohoEmulator } from '../emulators/zoho/emulator.js';
import { callRailSignature } from '../support/callrail-signing.js';
import { fixedAnalyzer } from '../support/fixed-analyzer.js';
import { guideCrmConfig } from '../support/guide-fixtures.js';
import { isolatedSettings, KAFKA_BROKERS } from '../support/platform.js';
import { waitFor } from '../support/wait-for.js';
import { type CustomCrmServer, startCustomCrmServer } from '../unit/crm/custom/custom-crm-server.js';

const NOW = '2026-11-25T17:20:00.000Z';
const PHONE = '+15125550143';
const SIGNING_TOKEN = 'callrail-every-crm-signing-token';

const HUBSPOT_TOKEN = 'pat-na1-every-crm-token';
const SF_CONSUMER_KEY = '3MVG9A2kN3Bn17hsEveryCrmConsumerKey';
const SF_USERNAME = 'api@company.com';
const SF_TOP_REP = '0055g000000TopRepAAA';
const MONDAY_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.monday-every-crm-token';
const ZOHO_CLIENT = {
  id: '1000.EVERYCRMCLIENT0123456789ABCD',
  secret: 'zoho-secret',
  refresh: '1000.refresh.every',
};
const CUSTOM_TOKEN = 'custom-crm-token-8e1f';

type Crm = CrmType;
/** Every CRM the build ships: a CRM added to the catalog fails this file's types until it has a tenant here. */
const CRMS = Object.keys(crmCatalog) as Crm[];
/** Each tenant is found by the CallRail company its webhook names. */
const COMPANY: Record<Crm, number> = {
  hubspot: 7001,
  salesforce: 7002,
  pipedrive: 7003,
  monday: 7004,
  zoho: 7005,
  custom: 7006,
};

const secret = (name: string) => `secret:projects/p/secrets/${name}/versions/latest`;
const sfKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });

interface Emulators {
  hubspot: HubSpotEmulator;
  salesforce: SalesforceEmulator;
  pipedrive: PipedriveEmulator;
  monday: MondayEmulator;
  zoho: ZohoEmulator;
  custom: CustomCrmServer;
}

/** The guide's block where it has one, with only URLs and secrets changed; a small mapping otherwise. */
function crmConfigs(e: Emulators): Record<Crm, Record<string, unknown>> {
  return {
    hubspot: {
      ...guideCrmConfig('hubspot'),
      base_url: e.hubspot.url,
      api_token: secret('every-hubspot'),
    },
    salesforce: {
      ...guideCrmConfig('salesforce'),
      instance_url: e.salesforce.url,
      login_url: e.salesforce.url,
      consumer_key: secret('every-sf-consumer-key'),
      private_key: secret('every-sf-private-key'),
      username: secret('every-sf-username'),
    },
    pipedrive: {
      ...guideCrmConfig('pipedrive'),
      api_base_url: `${e.pipedrive.url}/api/v2`,
      api_token: secret('every-pipedrive'),
    },
    monday: {
      type: 'monday',
      api_token: secret('every-monday'),
      api_url: e.monday.apiUrl,
      board_id: '1234567890',
      column_mappings: {
        Phone: 'customer_phone',
        City: 'customer_city',
        'Lead Score': 'ai_analysis.lead_score',
      },
      duplicate_detection: { enabled: true, match_fields: ['phone'] },
    },
    zoho: {
      type: 'zoho',
      client_id: secret('every-zoho-client-id'),
      client_secret: secret('every-zoho-client-secret'),
      refresh_token: secret('every-zoho-refresh'),
      data_centre: 'eu',
      accounts_url: e.zoho.url,
      field_mappings: {
        First_Name: 'customer_name_first',
        Last_Name: 'customer_name_last',
        Phone: 'customer_phone',
        AI_Lead_Score: 'ai_analysis.lead_score',
      },
    },
    custom: {
      ...guideCrmConfig('custom-rest'),
      api_base_url: `${e.custom.url}/v1`,
      authentication: { type: 'bearer', token: secret('every-custom') },
    },
  };
}

function tenants(e: Emulators): TenantConfig[] {
  const configs = crmConfigs(e);
  return CRMS.map((crm) =>
    tenantConfigSchema.parse({
      tenant_id: `tenant_${crm}`,
      callrail: { company_ids: [String(COMPANY[crm])], signing_secret: secret('every-callrail') },
      crm_config: configs[crm],
    }),
  );
}

const secrets = new EnvSecretResolver({
  [EnvSecretResolver.variableFor('every-callrail')]: SIGNING_TOKEN,
  [EnvSecretResolver.variableFor('every-hubspot')]: HUBSPOT_TOKEN,
  [EnvSecretResolver.variableFor('every-sf-consumer-key')]: SF_CONSUMER_KEY,
  [EnvSecretResolver.variableFor('every-sf-private-key')]: sfKeys.privateKey
    .export({ type: 'pkcs8', format: 'pem' })
    .toString(),
  [EnvSecretResolver.variableFor('every-sf-username')]: SF_USERNAME,
  [EnvSecretResolver.variableFor('every-pipedrive')]: PIPEDRIVE_TOKEN,
  [EnvSecretResolver.variableFor('every-monday')]: MONDAY_TOKEN,
  [EnvSecretResolver.variableFor('every-zoho-client-id')]: ZOHO_CLIENT.id,
  [EnvSecretResolver.variableFor('every-zoho-client-secret')]: ZOHO_CLIENT.secret,
  [EnvSecretResolver.variableFor('every-zoho-refresh')]: ZOHO_CLIENT.refresh,
  [EnvSecretResolver.variableFor('every-custom')]: CUSTOM_TOKEN,
});

function webhook(crm: Crm): string {
  return JSON.stringify({
    resource_id: `CAL-${crm}`,
    company_id: COMPANY[crm],
    customer_phone_number: '(512) 555-0143',
    customer_name: 'Jane Doe',
    customer_city: 'Los Angeles',
    customer_state: 'CA',
    duration: '180',
    answered: true,
    source_name: 'Google Ads',
    recording: `https://app.callrail.com/calls/CAL-${crm}/recording`,
    transcription: 'Caller: new kitchen as soon as possible',
  });
}

async function deadLetterCount(topic: string): Promise<number> {
  const admin = new Kafka({
    clientId: 'every-crm-test',
    brokers: KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('a signed CallRail webhook reaches every CRM type on the real broker', () => {
  const settings = isolatedSettings();
  let e: Emulators;
  let app: RunningLeadstream;

  beforeAll(async () => {
    const [hubspot, salesforce, pipedrive, monday, zoho, custom] = await Promise.all([
      startHubSpotEmulator({
        portals: [{ token: HUBSPOT_TOKEN, owners: [{ email: 'owner@company.com', id: '90001' }] }],
      }),
      startSalesforceEmulator({
        connectedApps: [
          { consumerKey: SF_CONSUMER_KEY, certificate: sfKeys.publicKey, usernames: [SF_USERNAME] },
        ],
        assignmentRuleOwnerId: SF_TOP_REP,
        // The adapter signs its JWT with the app's fixed clock; the org checks its expiry by the same one.
        now: () => Date.parse(NOW),
      }),
      startPipedriveEmulator(),
      startMondayEmulator({ tokens: [MONDAY_TOKEN] }),
      startZohoEmulator({
        clients: [
          {
            clientId: ZOHO_CLIENT.id,
            clientSecret: ZOHO_CLIENT.secret,
            refreshTokens: [ZOHO_CLIENT.refresh],
          },
        ],
      }),
      startCustomCrmServer({ auth: { type: 'bearer', token: CUSTOM_TOKEN } }),
    ]);
    e = { hubspot, salesforce, pipedrive, monday, zoho, custom };
    defineGuideProperties(hubspot.portal(HUBSPOT_TOKEN));
    app = await startLeadstream(settings, ['gateway', 'enricher', 'mapper', 'delivery'], {
      tenants: DirectoryTenantSource.fromConfigs(tenants(e)),
      secrets,
      analyzer: fixedAnalyzer,
      clock: fixedClock(NOW),
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    });
    await waitFor('every role ready', () => (app.ready() ? true : undefined), 60_000);
  });

  afterAll(async () => {
    await app?.stop();
    await Promise.all([
      e?.hubspot.stop(),
      e?.salesforce.stop(),
      e?.pipedrive.stop(),
      e?.monday.stop(),
      e?.zoho.stop(),
      e?.custom.close(),
    ]);
  });

  it('creates each tenant’s records in its own CRM, mapped as configured, and dead-letters nothing', async () => {
    for (const crm of CRMS) {
      const body = webhook(crm);
      const response = await fetch(`${app.gatewayUrl}/v1/callrail/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', signature: callRailSignature(body, SIGNING_TOKEN) },
        body,
      });
      expect(response.status, crm).toBe(202);
    }

    const contact = await waitFor('the HubSpot contact', () => e.hubspot.contacts(HUBSPOT_TOKEN)[0]);
    expect(contact.properties).toMatchObject({
      phone: PHONE,
      firstname: 'Jane',
      lastname: 'Doe',
      lead_source_detail: 'CAL-hubspot',
      ai_lead_score: '92',
    });

    const task = await waitFor('the Salesforce task', () => e.salesforce.tasks()[0]);
    const [lead] = e.salesforce.leads();
    expect(lead?.fields).toMatchObject({
      Phone: PHONE,
      FirstName: 'Jane',
      LastName: 'Doe',
      AI_Lead_Score__c: 92,
      OwnerId: SF_TOP_REP,
    });
    expect(task.fields).toMatchObject({
      Subject: 'Follow up on call',
      ActivityDate: '2026-11-26',
      WhoId: lead?.Id,
    });

    const deal = await waitFor('the Pipedrive deal', () => e.pipedrive.deals()[0]);
    const [person] = e.pipedrive.persons();
    expect(person).toMatchObject({ name: 'Jane Doe', owner_id: 123456 });
    expect(JSON.stringify(person?.phones)).toContain(PHONE);
    expect(person?.custom_fields[e.pipedrive.fieldKey('person', 'AI Lead Score')]).toBe(92);
    expect(deal).toMatchObject({ title: 'Jane Doe - kitchen Project', value: 25000, person_id: person?.id });

    const item = await waitFor('the Monday item', () => e.monday.items()[0]);
    expect(item.name).toBe('Jane Doe');
    expect(item.values.get('phone_mkq1')?.value).toEqual({ phone: PHONE, countryShortName: 'US' });
    expect(item.values.get('numeric_mkq3')?.text).toBe('92');

    const zohoLead = await waitFor('the Zoho lead', () => e.zoho.records()[0]);
    expect(zohoLead.fields).toMatchObject({
      Phone: PHONE,
      First_Name: 'Jane',
      Last_Name: 'Doe',
      AI_Lead_Score: 92,
    });

    const customContact = await waitFor('the custom CRM contact', () => [...e.custom.contacts.values()][0]);
    expect(customContact).toMatchObject({
      first_name: 'Jane',
      last_name: 'Doe',
      phone: PHONE,
      custom_fields: { ai_score: 92 },
    });

    expect(
      [
        e.hubspot.contacts(HUBSPOT_TOKEN),
        e.salesforce.leads(),
        e.salesforce.tasks().filter((task) => task.fields.TaskSubtype !== 'Call'),
        e.pipedrive.persons(),
        e.pipedrive.deals(),
        e.monday.items(),
        e.zoho.records(),
        [...e.custom.contacts.values()],
      ].map((records) => records.length),
    ).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    // The call itself on each record's timeline, linked to the record it created; it is written after
    // the record, so each is waited for.
    const hubspotCall = await waitFor('the HubSpot call', () => e.hubspot.portal(HUBSPOT_TOKEN).calls()[0]);
    expect(hubspotCall.associations).toContainEqual({
      toObjectType: 'contacts',
      toObjectId: contact.id,
      associationTypeId: 194,
    });
    const sfCall = await waitFor('the Salesforce call', () =>
      e.salesforce.tasks().find((t) => t.fields.TaskSubtype === 'Call'),
    );
    expect(sfCall.fields.WhoId).toBe(lead?.Id);
    // The webhook names no tracking number, which a call log needs: a done call activity instead.
    const callActivity = await waitFor('the Pipedrive call activity', () =>
      e.pipedrive.activities().find((activity) => activity.type === 'call'),
    );
    expect([callActivity.person_id, callActivity.deal_id, callActivity.done]).toEqual([
      person?.id,
      deal.id,
      true,
    ]);
    const update = await waitFor('the Monday update', () => e.monday.updates()[0]);
    expect(update.itemId).toBe(item.id);
    const zohoCall = await waitFor('the Zoho call', () => e.zoho.calls()[0]);
    expect(zohoCall.fields.What_Id).toEqual({ id: zohoLead.id });
    expect(
      [
        e.hubspot.portal(HUBSPOT_TOKEN).calls(),
        e.salesforce.tasks().filter((t) => t.fields.TaskSubtype === 'Call'),
        e.pipedrive.activities().filter((activity) => activity.type === 'call'),
        e.monday.updates(),
        e.zoho.calls(),
      ].map((entries) => entries.length),
    ).toEqual([1, 1, 1, 1, 1]);
    expect(await deadLetterCount(settings.TOPIC_DEAD_LETTERS)).toBe(0);
  });
});
