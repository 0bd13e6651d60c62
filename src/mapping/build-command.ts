import type { HubSpotCrmConfig } from '../config/tenants/crm-config.js';
import type { TenantConfig } from '../config/tenants/tenant-config.js';
import type { HubSpotObjectPayload } from '../crm/hubspot/payloads.js';
import { LeadstreamError } from '../errors/leadstream-error.js';
import { type CrmCommand, type CrmOperation, idempotencyKey } from '../events/crm-command.js';
import type { EnrichedCall } from '../events/enriched-call.js';
import type { Clock } from '../time/clock.js';
import { type CompiledHubSpotMapping, compileHubSpotMapping } from './compile-hubspot-mapping.js';
import type { ExpressionScope } from './expressions/compile-expression.js';
import { typeName } from './expressions/expression-value.js';
import { buildMappingView } from './mapping-view.js';

type Properties = HubSpotObjectPayload['properties'];

/** Compiled once per loaded configuration object; dropped with it when the configuration is replaced. */
const compiled = new WeakMap<HubSpotCrmConfig, CompiledHubSpotMapping>();

function mappingFor(config: HubSpotCrmConfig): CompiledHubSpotMapping {
  const cached = compiled.get(config);
  if (cached) return cached;
  const { mapping, issues } = compileHubSpotMapping(config);
  if (!mapping) {
    const lines = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new LeadstreamError('config_error', `invalid mapping configuration: ${lines}`);
  }
  compiled.set(config, mapping);
  return mapping;
}

/** Typed coercion of custom properties, failing in the guide's words. */
function coerce(name: string, type: string, value: string | number | boolean): string | number | boolean {
  const fail = (): never => {
    throw new LeadstreamError(
      'field_mapping_error',
      `Invalid value for field ${name}: expected ${type}, got ${typeName(value)}`,
      { details: { field: name } },
    );
  };
  switch (type) {
    case 'number':
      return typeof value === 'number' ? value : fail();
    case 'bool':
      return typeof value === 'boolean' ? value : fail();
    case 'date':
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : fail();
    default:
      return typeof value === 'boolean' ? fail() : String(value);
  }
}

/** Leads that are not leads get no deal or follow-up: a robocall is not an opportunity. */
const NOT_A_LEAD = new Set(['spam', 'wrong_number']);

function operation(
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

function ownerEmail(config: HubSpotCrmConfig): { owner_email?: string } {
  return config.contact_owner?.includes('@') ? { owner_email: config.contact_owner } : {};
}

function hubspotOperations(
  event: EnrichedCall,
  config: HubSpotCrmConfig,
  scope: ExpressionScope,
): { operations: CrmOperation[]; triggered: string[] } {
  const mapping = mappingFor(config);
  const contact: Properties = {};
  for (const field of mapping.fields) {
    const value = field.value(scope);
    if (value !== null && value !== '') contact[field.name] = value;
  }
  for (const custom of mapping.customProperties) {
    const value = custom.value(scope);
    if (value !== null && value !== '') contact[custom.name] = coerce(custom.name, custom.type, value);
  }
  const operations = [operation('contact', 'upsert_contact', 'contacts', { properties: contact })];
  const { call, ai_analysis: analysis } = event;
  const isLead = !NOT_A_LEAD.has(analysis.intent);

  if (isLead && (config.pipeline_id !== undefined || config.deal_stage !== undefined)) {
    const who = call.customer_name ?? call.customer_phone ?? call.customer_email ?? 'New lead';
    const deal: Properties = {
      dealname: `${who} - ${analysis.project_type} project`,
      pipeline: config.pipeline_id ?? 'default',
    };
    if (config.deal_stage !== undefined) deal.dealstage = config.deal_stage;
    operations.push(
      operation(
        'deal',
        'create_deal',
        'deals',
        { properties: deal, ...ownerEmail(config) },
        { link_to: 'contact' },
      ),
    );
  }

  const triggered = mapping.triggers.filter((trigger) => trigger.condition.evaluate(scope) === true);
  const actions = new Set(isLead ? triggered.flatMap((trigger) => trigger.actions) : []);
  for (const action of actions) {
    if (action === 'create_task') {
      const due = new Date(
        scope.clock.now().getTime() + (analysis.timeline === 'immediate' ? 3_600_000 : 86_400_000),
      );
      const task: Properties = {
        hs_task_subject: `Call back ${call.customer_name ?? call.customer_phone ?? 'new lead'} (${analysis.project_type}, score ${analysis.lead_score})`,
        hs_task_body: analysis.score_reasons.join('; '),
        hs_timestamp: due.toISOString(),
        hs_task_status: 'NOT_STARTED',
        hs_task_priority: analysis.urgency === 'high' || analysis.lead_score > 80 ? 'HIGH' : 'MEDIUM',
        hs_task_type: 'CALL',
      };
      operations.push(
        operation(
          'task',
          'create_task',
          'tasks',
          { properties: task, ...ownerEmail(config) },
          { link_to: 'contact' },
        ),
      );
    } else {
      const payload = { properties: {}, ...(action === 'assign_owner' ? ownerEmail(config) : {}) };
      operations.push(
        operation(`workflow_${action}`, 'workflow_action', 'contacts', payload, {
          link_to: 'contact',
          action,
        }),
      );
    }
  }
  return { operations, triggered: triggered.map((trigger) => trigger.name) };
}

/**
 * Builds the CRM command for one enriched call. Pure: the same event, configuration and clock always
 * give the same command. HubSpot: the contact with its field and custom-property mappings; a deal when
 * a pipeline or stage is configured; the actions of every workflow trigger whose condition holds.
 */
export function buildCrmCommand(event: EnrichedCall, tenant: TenantConfig, clock: Clock): CrmCommand {
  const config = tenant.crm_config;
  const scope: ExpressionScope = { view: buildMappingView(event), clock };
  const { operations, triggered } = hubspotOperations(event, config, scope);
  const detection = config.duplicate_detection;
  return {
    idempotency_key: idempotencyKey(event.call.tenant_id, event.call.call_id),
    tenant_id: event.call.tenant_id,
    call_id: event.call.call_id,
    crm_type: config.type,
    operations,
    duplicate_detection:
      detection?.enabled === true
        ? {
            match_fields: detection.match_fields,
            match_strategy: detection.match_strategy,
            action: detection.action,
          }
        : null,
    triggered_workflows: triggered,
    created_at: clock.now().getTime(),
  };
}
