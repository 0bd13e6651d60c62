import type { HubSpotCrmConfig, TenantConfig } from '../config/tenants/tenant-config.js';
import type { HubSpotObjectPayload } from '../crm/hubspot/payloads.js';
import { LeadstreamError } from '../errors/leadstream-error.js';
import type { CrmCommand, CrmOperation } from '../events/crm-command.js';
import { idempotencyKey } from '../events/crm-command.js';
import type { EnrichedCall } from '../events/enriched-call.js';
import type { Clock } from '../time/clock.js';
import { buildMappingView, type MappingValue, type MappingView, readPath } from './mapping-view.js';

type Properties = Record<string, string | number | boolean>;

function coerce(name: string, type: string, value: MappingValue): string | number | boolean {
  const got = Array.isArray(value) ? 'array' : typeof value;
  switch (type) {
    case 'number':
      if (typeof value === 'number') return value;
      break;
    case 'bool':
      if (typeof value === 'boolean') return value;
      break;
    default:
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        return String(value);
  }
  throw new LeadstreamError(
    'field_mapping_error',
    `Invalid value for field ${name}: expected ${type}, got ${got}`,
    {
      details: { field: name },
    },
  );
}

function hubspotContact(config: HubSpotCrmConfig, view: MappingView): Properties {
  const properties: Properties = {};
  for (const [property, path] of Object.entries(config.field_mappings)) {
    const value = readPath(view, path);
    if (value === undefined || value === null || value === '') continue;
    properties[property] = coerce(property, 'string', value);
  }
  for (const custom of config.custom_properties) {
    const value = readPath(view, custom.value);
    if (value === undefined || value === null || value === '') continue;
    properties[custom.name] = coerce(custom.name, custom.type, value);
  }
  return properties;
}

/**
 * Builds the CRM command for one enriched call. Pure: the same event, configuration and clock always
 * give the same command. The configuration language here is the walking skeleton's subset; the whole
 * language of the setup guide is issue #3.
 */
export function buildCrmCommand(event: EnrichedCall, tenant: TenantConfig, clock: Clock): CrmCommand {
  const config = tenant.crm_config;
  const view = buildMappingView(event);
  const contact: CrmOperation = {
    ref: 'contact',
    kind: 'upsert_contact',
    object_type: 'contacts',
    payload_json: JSON.stringify({ properties: hubspotContact(config, view) } satisfies HubSpotObjectPayload),
    link_to: null,
    action: null,
  };
  const detection = config.duplicate_detection;
  return {
    idempotency_key: idempotencyKey(event.call.tenant_id, event.call.call_id),
    tenant_id: event.call.tenant_id,
    call_id: event.call.call_id,
    crm_type: config.type,
    operations: [contact],
    duplicate_detection:
      detection?.enabled === true
        ? {
            match_fields: detection.match_fields,
            match_strategy: detection.match_strategy,
            action: detection.action,
          }
        : null,
    triggered_workflows: [],
    created_at: clock.now().getTime(),
  };
}
