import type { CrmCommand, CrmOperation } from '../../events/crm-command.js';
import type { Logger } from '../../observability/logger.js';
import type { DeliveryResult, OperationOutcome } from '../crm-adapter.js';
import { invalidOperation } from '../operation-payload.js';

/** What a command's operations did so far, by ref: what `link_to` resolves against. */
export class OperationOutcomes {
  private readonly done = new Map<string, OperationOutcome>();

  add(operation: CrmOperation, outcome: OperationOutcome): void {
    this.done.set(operation.ref, outcome);
  }

  list(): OperationOutcome[] {
    return [...this.done.values()];
  }

  /** The command's first record of this type so far (its deal, say), or undefined. */
  first(objectType: string): OperationOutcome | undefined {
    return this.list().find((outcome) => outcome.object_type === objectType);
  }

  /**
   * The record `link_to` names, or without one the command's first record of that type: it must be an
   * earlier operation's, of that type, since operations run in order.
   */
  linked(operation: CrmOperation, objectType: string, noun: string): OperationOutcome | undefined {
    const ref = operation.link_to ?? this.first(objectType)?.ref;
    if (ref === undefined) return undefined;
    const linked = this.done.get(ref);
    if (linked?.object_type !== objectType) {
      throw invalidOperation(
        operation,
        `links to ${ref}, which is no earlier ${noun} operation of the command`,
      );
    }
    return linked;
  }
}

/**
 * Runs a command's operations in order, each seeing what the earlier ones did (`done`, which an adapter
 * holding it in its own state passes in).
 */
export async function runOperations(
  command: CrmCommand,
  logger: Logger,
  crm: string,
  run: (operation: CrmOperation, done: OperationOutcomes) => Promise<OperationOutcome>,
  done = new OperationOutcomes(),
): Promise<DeliveryResult> {
  for (const operation of command.operations) {
    const outcome = await run(operation, done);
    done.add(operation, outcome);
    logger.debug({ workflow_step: 'crm_push', status: outcome.action, ...outcome }, `${crm} operation done`);
  }
  return { outcomes: done.list() };
}
