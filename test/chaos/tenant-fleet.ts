import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDEMPOTENCY_KEY_PROPERTY } from '../../src/crm/hubspot/idempotency-key-property.js';
import {
  IDEMPOTENCY_KEY_FIELD,
  idempotencyKeyCustomField,
} from '../../src/crm/salesforce/idempotency-key-field.js';
import { EnvSecretResolver } from '../../src/secrets/env-secret-resolver.js';
import { type HubSpotEmulator, startHubSpotEmulator } from '../emulators/hubspot/emulator.js';
import { defineGuideProperties } from '../emulators/hubspot/guide-properties.js';
import {
  DEFAULT_USER,
  DEFAULT_TOKEN as PIPEDRIVE_TOKEN,
  type PipedriveEmulator,
  startPipedriveEmulator,
} from '../emulators/pipedrive/emulator.js';
import { type SalesforceEmulator, startSalesforceEmulator } from '../emulators/salesforce/emulator.js';
import { field } from '../emulators/salesforce/object-definitions.js';
import type { LatencyRange } from '../emulators/service-conditions.js';

export const CHAOS_CRMS = ['hubspot', 'pipedrive', 'salesforce'] as const;
export type ChaosCrm = (typeof CHAOS_CRMS)[number];

export type TenantCrm =
  | { type: 'hubspot'; emulator: HubSpotEmulator; token: string }
  | { type: 'pipedrive'; emulator: PipedriveEmulator }
  | { type: 'salesforce'; emulator: SalesforceEmulator };

export interface ChaosTenant {
  id: string;
  /** The CallRail company its webhooks name. */
  companyId: number;
  signingToken: string;
  crm: TenantCrm;
}

export interface TenantFleet {
  tenants: ChaosTenant[];
  /** The directory of tenant files the roles load (TENANT_CONFIG_DIR). */
  configDir: string;
  /** LEADSTREAM_SECRET_* variables the roles resolve the tenants' secret references from. */
  secretEnv: Record<string, string>;
  stop(): Promise<void>;
}

export interface FleetOptions {
  tenants: number;
  latency: LatencyRange;
  searchLagMs: number;
}

const secret = (name: string) => `secret:projects/chaos/secrets/${name}/versions/latest`;
const SF_USERNAME = 'api@chaos.example';
const SF_CONSUMER_KEY = '3MVG9ChaosSuiteConsumerKey';

/**
 * Each CRM writes one record per call that names the call (a HubSpot contact version with
 * lead_source_detail, a Pipedrive deal title, a Salesforce task description), so the census can tell a
 * lost call from a duplicated one, and one contact per caller.
 */
function crmConfig(crm: TenantCrm, tenantId: string): Record<string, unknown> {
  switch (crm.type) {
    case 'hubspot':
      return {
        type: 'hubspot',
        base_url: crm.emulator.url,
        api_token: secret(`${tenantId}-hubspot`),
        pipeline_id: 'default',
        deal_stage: 'appointmentscheduled',
        duplicate_detection: { enabled: true, match_fields: ['phone'] },
        field_mappings: {
          phone: 'phone',
          firstname: 'customer_name_first',
          lastname: 'customer_name_last',
          lead_source_detail: 'call_id',
        },
        custom_properties: [{ name: 'ai_lead_score', value: 'ai_analysis.lead_score', type: 'number' }],
      };
    case 'pipedrive':
      return {
        type: 'pipedrive',
        api_token: secret(`${tenantId}-pipedrive`),
        company_domain: crm.emulator.host,
        api_base_url: `${crm.emulator.url}/api/v2`,
        pipeline_id: 1,
        stage_id: 2,
        default_owner: DEFAULT_USER.id,
        duplicate_detection: { enabled: true, match_fields: ['phone'] },
        field_mappings: { name: 'customer_name', phone: 'customer_phone' },
        custom_fields: { ai_lead_score: 'ai_analysis.lead_score' },
        deal_settings: { title_template: '{{customer_name}} - {{call_id}}', currency: 'USD' },
      };
    case 'salesforce':
      return {
        type: 'salesforce',
        instance_url: crm.emulator.url,
        login_url: crm.emulator.url,
        consumer_key: secret(`${tenantId}-sf-consumer-key`),
        private_key: secret(`${tenantId}-sf-private-key`),
        username: secret(`${tenantId}-sf-username`),
        object_mappings: {
          lead: {
            Phone: 'customer_phone',
            FirstName: 'customer_name_first',
            LastName: 'customer_name_last',
            AI_Lead_Score__c: 'ai_analysis.lead_score',
          },
          task: {
            Subject: 'Follow up on call',
            Priority: 'Normal',
            ActivityDate: 'computed:today+1',
            Description: 'call_id',
          },
        },
        workflow_rules: {
          every_call: { condition: 'ai_analysis.lead_score >= 0', actions: ['create_task'] },
        },
      };
  }
}

async function startCrm(
  type: ChaosCrm,
  tenantId: string,
  options: FleetOptions,
  certificate: string,
): Promise<TenantCrm> {
  switch (type) {
    case 'hubspot': {
      const token = `pat-na1-${tenantId}`;
      const emulator = await startHubSpotEmulator({
        portals: [{ token }],
        searchLagMs: options.searchLagMs,
        latency: options.latency,
        // The tenant's own pacing is the subject here, not HubSpot's ten-second window.
        rateLimits: { max: 1_000 },
      });
      defineGuideProperties(emulator.portal(token));
      // As `leadstream crm provision` leaves a portal: deals are upserted by their idempotency key.
      emulator
        .portal(token)
        .defineProperty('deals', { name: IDEMPOTENCY_KEY_PROPERTY, type: 'string', hasUniqueValue: true });
      return { type, emulator, token };
    }
    case 'pipedrive':
      return {
        type,
        emulator: await startPipedriveEmulator({
          searchLagMs: options.searchLagMs,
          latency: options.latency,
          burstLimit: 1_000,
        }),
      };
    case 'salesforce': {
      const emulator = await startSalesforceEmulator({
        connectedApps: [{ consumerKey: SF_CONSUMER_KEY, certificate, usernames: [SF_USERNAME] }],
        latency: options.latency,
      });
      // As `leadstream crm provision` and an admin's field-level security grant leave the org: new leads
      // are upserted by their idempotency key.
      const { Metadata } = idempotencyKeyCustomField;
      emulator.org.defineCustomField(
        'Lead',
        field({
          name: IDEMPOTENCY_KEY_FIELD,
          type: 'string',
          label: Metadata.label,
          length: Metadata.length,
          unique: Metadata.unique,
          externalId: Metadata.externalId,
          caseSensitive: Metadata.caseSensitive,
        }),
      );
      emulator.org.grantFieldAccess('Lead', IDEMPOTENCY_KEY_FIELD);
      return { type, emulator };
    }
  }
}

function secretsOf(tenant: ChaosTenant, privateKey: string): Record<string, string> {
  const v = EnvSecretResolver.variableFor;
  const own = { [v(`${tenant.id}-callrail`)]: tenant.signingToken };
  switch (tenant.crm.type) {
    case 'hubspot':
      return { ...own, [v(`${tenant.id}-hubspot`)]: tenant.crm.token };
    case 'pipedrive':
      return { ...own, [v(`${tenant.id}-pipedrive`)]: PIPEDRIVE_TOKEN };
    case 'salesforce':
      return {
        ...own,
        [v(`${tenant.id}-sf-consumer-key`)]: SF_CONSUMER_KEY,
        [v(`${tenant.id}-sf-private-key`)]: privateKey,
        [v(`${tenant.id}-sf-username`)]: SF_USERNAME,
      };
  }
}

/** One emulator per tenant (so one tenant's outage is its own), CRMs in turn, and the tenant files. */
export async function startTenantFleet(options: FleetOptions): Promise<TenantFleet> {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const certificate = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const configDir = mkdtempSync(join(tmpdir(), 'leadstream-chaos-tenants-'));
  const tenants: ChaosTenant[] = [];
  try {
    for (let index = 0; index < options.tenants; index += 1) {
      const type = CHAOS_CRMS[index % CHAOS_CRMS.length] ?? 'hubspot';
      const id = `tenant_chaos_${String(index + 1).padStart(2, '0')}_${type}`;
      tenants.push({
        id,
        companyId: 9100 + index,
        signingToken: `callrail-signing-${id}`,
        crm: await startCrm(type, id, options, certificate),
      });
    }
  } catch (error) {
    await Promise.all(tenants.map((t) => t.crm.emulator.stop()));
    throw error;
  }
  const secretEnv: Record<string, string> = {};
  for (const tenant of tenants) {
    writeFileSync(
      join(configDir, `${tenant.id}.json`),
      JSON.stringify(
        {
          tenant_id: tenant.id,
          callrail: {
            company_ids: [String(tenant.companyId)],
            signing_secret: secret(`${tenant.id}-callrail`),
          },
          crm_config: crmConfig(tenant.crm, tenant.id),
        },
        null,
        2,
      ),
    );
    Object.assign(secretEnv, secretsOf(tenant, privateKey));
  }
  return {
    tenants,
    configDir,
    secretEnv,
    async stop() {
      await Promise.all(tenants.map((t) => t.crm.emulator.stop()));
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}
