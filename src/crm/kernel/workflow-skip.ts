import type { CrmOperation } from '../../events/crm-command.js';
import type { Logger } from '../../observability/logger.js';
import type { OperationOutcome } from '../crm-adapter.js';

/**
 * A workflow action the CRM write does not carry out (notifications and SMS are the notifier's, the
 * rest the CRM's own automations'): logged, and reported as skipped on the record it is about.
 */
export function skippedWorkflowAction(
  logger: Logger,
  operation: CrmOperation,
  record: { object_type: string; id: string },
  why = 'workflow action carried out outside the CRM write (notifications and SMS by the notifier)',
): OperationOutcome {
  logger.info(
    { workflow_step: 'crm_push', ref: operation.ref, action: operation.action, status: 'skipped' },
    why,
  );
  return { ref: operation.ref, object_type: record.object_type, id: record.id, action: 'skipped' };
}
