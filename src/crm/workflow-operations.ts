import type { CrmOperation } from '../events/crm-command.js';
import type { EnrichedCall } from '../events/enriched-call.js';
import { actionsOf, isLead, operation } from '../mapping/command-builder.js';

/**
 * The distinct actions of the triggers a call fired, in firing order: none for a call that is not a
 * lead, whatever fired (a robocall sets off no follow-up).
 */
export function leadActions(
  event: EnrichedCall,
  fired: ReadonlyArray<{ actions: readonly string[] }>,
): string[] {
  return isLead(event) ? actionsOf(fired) : [];
}

/**
 * One fired action as the operation every adapter knows it by (ref `workflow_<action>`): run on the
 * record `linkTo` names, of `objectType`, or reported as skipped where the CRM has no such action.
 */
export function workflowOperation(
  action: string,
  objectType: string,
  linkTo: string | null,
  payload: unknown = {},
): CrmOperation {
  return operation(`workflow_${action}`, 'workflow_action', objectType, payload, { link_to: linkTo, action });
}
