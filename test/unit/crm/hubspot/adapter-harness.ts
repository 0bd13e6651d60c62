import { type TenantConfig, tenantConfigSchema } from '../../../../src/config/tenants/tenant-config.js';
import type { ConfiguredCrmContext } from '../../../../src/crm/crm-adapter.js';
import { compileHubSpotCommand } from '../../../../src/crm/hubspot/command-mapping.js';
import type { HubSpotCrmConfig } from '../../../../src/crm/hubspot/config.js';
import { hubspotCrmConfigSchema } from '../../../../src/crm/hubspot/config.js';
import { HubSpotAdapter, type HubSpotAdapterOptions } from '../../../../src/crm/hubspot/hubspot-adapter.js';
import type { HubSpotObjectPayload } from '../../../../src/crm/hubspot/payloads.js';
import type { CrmCommand, CrmOperation, DuplicateRule } from '../../../../src/events/crm-command.js';
import { MappingIssues } from '../../../../src/mapping/mapping-issues.js';
import { buildMappingView } from '../../../../src/mapping/mapping-view.js';
import { createLogger } from '../../../../src/observability/logger.js';
import { EnvSecretResolver } from '../../../../src/secrets/env-secret-resolver.js';
import { fixedClock } from '../../../../src/time/clock.js';
import {
  DEFAULT_TOKEN,
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
  startHubSpotEmulator,
} from '../../../emulators/hubspot/emulator.js';
import { defineGuideProperties } from '../../../emulators/hubspot/guide-properties.js';
import { configuredFor } from '../../../support/configured-context.js';
import { crmCommandFor } from '../../../support/crm-adapter-tests.js';
import { emulatorOutbound } from '../../../support/emulator-outbound.js';
import { guideEnrichedCall } from '../../../support/guide-fixtures.js';

export const TENANT = 'tenant_acme';
export const OWNER_EMAIL = 'owner@company.com';
export const OWNER_ID = '501';
const SECRET_REF = 'secret:projects/p/secrets/hubspot-token-tenant-acme/versions/latest';

export interface Harness {
  emulator: HubSpotEmulator;
  adapter: HubSpotAdapter;
  context: ConfiguredCrmContext<HubSpotCrmConfig>;
  /**
   * The deal and follow-up task the mapper builds for this tenant, the guide's call and a create_task
   * trigger (pipeline and stage from the configuration, the task due an hour after the call of an
   * immediate lead at 14:04:05), named as a test says.
   */
  mappedDealAndTask(
    deal: HubSpotObjectPayload['properties'],
    task: HubSpotObjectPayload['properties'],
  ): CrmOperation[];
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
  const context = configuredFor('hubspot', {
    tenant,
    secrets,
    logger: createLogger({ level: 'silent' }),
    outbound: emulatorOutbound,
  });
  return {
    emulator,
    adapter: new HubSpotAdapter(options.adapter),
    context,
    mappedDealAndTask: (deal, task) => mappedDealAndTask(tenant, deal, task),
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

/** What the mapper makes of the guide's call for the tenant, with a follow-up task and no call timeline. */
function mappedDealAndTask(
  tenant: TenantConfig,
  deal: HubSpotObjectPayload['properties'],
  task: HubSpotObjectPayload['properties'],
): CrmOperation[] {
  const config = hubspotCrmConfigSchema.parse({
    ...tenant.crm_config,
    workflow_triggers: { follow_up: { condition: 'true', actions: ['create_task'] } },
    call_timeline: { enabled: false },
  });
  const issues = new MappingIssues();
  const event = guideEnrichedCall();
  const { operations } = compileHubSpotCommand(config, issues)(event, {
    view: buildMappingView(event),
    clock: fixedClock('2026-03-02T14:04:05.000Z'),
  });
  const named: Record<string, HubSpotObjectPayload['properties']> = { deal, task };
  return operations.flatMap((operation) => {
    const properties = named[operation.ref];
    if (properties === undefined) return [];
    const payload = JSON.parse(operation.payload_json) as HubSpotObjectPayload;
    return [
      {
        ...operation,
        payload_json: JSON.stringify({ ...payload, properties: { ...payload.properties, ...properties } }),
      },
    ];
  });
}
