import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { CrmCommand, CrmOperation } from '../../events/crm-command.js';
import { invalidOperation } from '../operation-payload.js';

/** One place of a CRM's plan: the operation kind it takes, on which object type, and its name in messages. */
export interface PlanSlot {
  kind: CrmOperation['kind'];
  objectType: string;
  noun: string;
}

/**
 * How a CRM that writes one record per lead reads a command: the record (which every other operation
 * links to), at most one operation of each other slot, and any number of workflow actions.
 */
export interface PlanRules<Slot extends string> {
  crm: string;
  record: PlanSlot;
  others: Readonly<Record<Slot, PlanSlot>>;
  /** What is wrong with a workflow action's payload, if anything. */
  checkWorkflow?: (operation: CrmOperation) => string | undefined;
}

export type OperationPlan<Slot extends string> = {
  record: CrmOperation;
  workflows: CrmOperation[];
  others: Partial<Record<Slot, CrmOperation>>;
};

/** Sorts a command's operations by the CRM's rules, refusing what it cannot run as a validation error. */
export function planOperations<Slot extends string>(
  command: CrmCommand,
  rules: PlanRules<Slot>,
): OperationPlan<Slot> {
  const slots: [Slot | 'record', PlanSlot][] = [
    ['record', rules.record],
    ...(Object.entries(rules.others) as [Slot, PlanSlot][]),
  ];
  const found = new Map<Slot | 'record', CrmOperation>();
  const workflows: CrmOperation[] = [];
  for (const operation of command.operations) {
    if (operation.kind === 'workflow_action') {
      const problem = rules.checkWorkflow?.(operation);
      if (problem !== undefined) throw invalidOperation(operation, problem);
      workflows.push(operation);
      continue;
    }
    const slot = slots.find(([, rule]) => rule.kind === operation.kind);
    if (slot === undefined) {
      const kinds = [...slots.map(([, rule]) => `${rule.kind} on ${rule.objectType}`), 'workflow actions'];
      throw invalidOperation(operation, `the ${rules.crm} adapter runs ${kinds.join(', ')}`);
    }
    const [name, rule] = slot;
    if (operation.object_type !== rule.objectType) {
      throw invalidOperation(operation, `${rules.crm} takes ${rule.objectType} here`);
    }
    if (found.has(name)) throw invalidOperation(operation, `a command carries one ${rule.noun}`);
    found.set(name, operation);
  }
  const record = found.get('record');
  if (record === undefined) {
    throw new LeadstreamError(
      'validation_error',
      `a ${rules.crm} command needs an ${rules.record.kind} operation on ${rules.record.objectType}`,
      { details: { call_id: command.call_id } },
    );
  }
  found.delete('record');
  for (const linked of [...found.values(), ...workflows]) {
    if (linked.link_to !== null && linked.link_to !== record.ref) {
      throw invalidOperation(
        linked,
        `links to ${linked.link_to}, which is not the command's ${rules.record.noun}`,
      );
    }
  }
  return { record, workflows, others: Object.fromEntries(found) as Partial<Record<Slot, CrmOperation>> };
}
