import type { TenantConfig } from '../config/tenants/tenant-config.js';
import { type CrmCommand, idempotencyKey } from '../events/crm-command.js';
import type { EnrichedCall } from '../events/enriched-call.js';
import { contactKeyOfEnrichedCall } from '../identity/contact-key.js';
import { leadSummaryOf } from '../notifications/lead-summary.js';
import { isNotifierAction } from '../notifications/workflow-actions.js';
import type { Clock } from '../time/clock.js';
import { commandBuilderFor } from './compile-mapping.js';
import type { ExpressionScope } from './expressions/compile-expression.js';
import { buildMappingView } from './mapping-view.js';

/**
 * Builds the CRM command for one enriched call with the tenant's compiled mapping. Pure: the same
 * event, configuration and clock always give the same command, so a replayed call maps as it did.
 */
export function buildCrmCommand(
  event: EnrichedCall,
  tenant: TenantConfig,
  clock: Clock,
  builtAt: Date = clock.now(),
): CrmCommand {
  const config = tenant.crm_config;
  const scope: ExpressionScope = { view: buildMappingView(event), clock };
  const { operations, triggered } = commandBuilderFor(config)(event, scope);
  const detection = 'duplicate_detection' in config ? config.duplicate_detection : undefined;
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
    created_at: builtAt.getTime(),
    contact_key: contactKeyOfEnrichedCall(event),
    lead_summary: operations.some((operation) => isNotifierAction(operation.action))
      ? leadSummaryOf(event, scope)
      : null,
  };
}
