import { type TenantConfig, tenantConfigSchema } from '../../../../src/config/tenants/tenant-config.js';
import type { CrmContext } from '../../../../src/crm/crm-adapter.js';
import { HubSpotAdapter, type HubSpotAdapterOptions } from '../../../../src/crm/hubspot/hubspot-adapter.js';
import type { HubSpotObjectPayload } from '../../../../src/crm/hubspot/payloads.js';
import type { CrmCommand, CrmOperation, DuplicateRule } from '../../../../src/events/crm-command.js';
import { createLogger } from '../../../../src/observability/logger.js';
import { EnvSecretResolver } from '../../../../src/secrets/env-secret-resolver.js';
import {
  DEFAULT_TOKEN,
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
  startHubSpotEmulator,
} from '../../../emulators/hubspot/emulator.js';
import { defineGuideProperties } from '../../../emulators/hubspot/guide-properties.js';
import { crmCommandFor } from '../../../support/crm-adapter-tests.js';
import { emulatorOutbound } from '../../../support/emulator-outbound.js';

export const TENANT = 'tenant_acme';
export const OWNER_EMAIL = 'owner@company.com';
export const OWNER_ID = '501';
const SECRET_REF = 'secret:projects/p/secrets/hubspot-token-tenant-acme/versions/latest';

export interface Harness {
  emulator: HubSpotEmulator;
  adapter: HubSpotAdapter;
  context: CrmContext;
  /** A fresh adapter: a restarted process, with none of the first one's memory. */
  restartedAdapter(): HubSpotAdapter;
}

export async function startHarness(
  options: {
    emulator?: HubSpotEmulatorOptions;
    crmConfig?: Record<string, unknown>;
    adapter?: HubSpotAdapterOptions;
    guideProperties?: boolean;
  } = {},
): Promise<Harness> {
  const emulator = await startHubSpotEmulator({
    portals: [{ token: DEFAULT_TOKEN, owners: [{ email: OWNER_EMAIL, id: OWNER_ID }] }],
    ...options.emulator,
  });
  if (options.guideProperties !== false) defineGuideProperties(emulator.portal());
  const tenant: TenantConfig = tenantConfigSchema.parse({
    tenant_id: TENANT,
    crm_config: {
      type: 'hubspot',
      api_token: SECRET_REF,
      base_url: emulator.url,
      pipeline_id: 'default',
      deal_stage: 'qualifiedtobuy',
      ...options.crmConfig,
    },
  });
  const secrets = new EnvSecretResolver({
    [EnvSecretResolver.variableFor('hubspot-token-tenant-acme')]: DEFAULT_TOKEN,
  });
  const context: CrmContext = {
    tenant,
    secrets,
    logger: createLogger({ level: 'silent' }),
    outbound: emulatorOutbound,
  };
  return {
    emulator,
    adapter: new HubSpotAdapter(options.adapter),
    context,
    restartedAdapter: () => new HubSpotAdapter(options.adapter),
  };
}

export const PHONE_FIRST: DuplicateRule = {
  match_fields: ['phone', 'email'],
  match_strategy: 'exact',
  action: 'update_existing',
};

export function operation(
  ref: string,
  kind: CrmOperation['kind'],
  objectType: string,
  payload: HubSpotObjectPayload,
  extra: Partial<CrmOperation> = {},
): CrmOperation {
  return {
    ref,
    kind,
    object_type: objectType,
    payload_json: JSON.stringify(payload),
    link_to: null,
    action: null,
    ...extra,
  };
}

export function contactOperation(
  properties: HubSpotObjectPayload['properties'],
  ownerEmail?: string,
): CrmOperation {
  return operation(
    'contact',
    'upsert_contact',
    'contacts',
    ownerEmail === undefined ? { properties } : { properties, owner_email: ownerEmail },
  );
}

export function command(
  callId: string,
  operations: CrmOperation[],
  duplicateDetection: DuplicateRule | null = PHONE_FIRST,
): CrmCommand {
  return crmCommandFor('hubspot', TENANT, callId, operations, duplicateDetection);
}
