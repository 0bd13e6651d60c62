import type { CrmOperation } from '../events/crm-command.js';
import type { EnrichedCall } from '../events/enriched-call.js';
import type { ExpressionScope } from './expressions/compile-expression.js';

/** What one CRM's mapping makes of one call: operations in execution order, and the triggers that fired. */
interface MappedOperations {
  operations: CrmOperation[];
  triggered: string[];
}

/** A tenant's mapping for one CRM, compiled once: a pure function of the call and the clock. */
export type CommandBuilder = (event: EnrichedCall, scope: ExpressionScope) => MappedOperations;

/** How a salesperson names the lead: the cleaned-up caller name, else the number or e-mail. */
export function displayName(scope: ExpressionScope, fallback = 'new lead'): string {
  const { customer_name, customer_phone, customer_email } = scope.view;
  for (const value of [customer_name, customer_phone, customer_email]) {
    if (typeof value === 'string' && value !== '') return value;
  }
  return fallback;
}

/** Calls that are not leads get no deal, task or workflow: a robocall is not an opportunity. */
export function isLead(event: EnrichedCall): boolean {
  return event.ai_analysis.intent !== 'spam' && event.ai_analysis.intent !== 'wrong_number';
}

export function operation(
  ref: string,
  kind: CrmOperation['kind'],
  objectType: string,
  payload: unknown,
  extra: Partial<Pick<CrmOperation, 'link_to' | 'action'>> = {},
): CrmOperation {
  return {
    ref,
    kind,
    object_type: objectType,
    payload_json: JSON.stringify(payload),
    link_to: extra.link_to ?? null,
    action: extra.action ?? null,
  };
}

/** The distinct actions of the fired triggers, in order. */
export function actionsOf(fired: ReadonlyArray<{ actions: readonly string[] }>): string[] {
  return [...new Set(fired.flatMap((trigger) => trigger.actions))];
}
