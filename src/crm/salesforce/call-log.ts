import type { CrmCommand } from '../../events/crm-command.js';
import type { Logger } from '../../observability/logger.js';
import type { CreatedRecords } from '../created-records.js';
import type { OperationOutcome } from '../crm-adapter.js';
import { createdId } from './composite.js';
import type { SalesforceRecordPayload } from './payloads.js';
import type { SalesforceSession } from './salesforce-session.js';

type Fields = SalesforceRecordPayload['fields'];

/**
 * Puts the call on the lead's activity timeline: a Task of subtype Call, WhoId the lead. Created once
 * per command and ref: the id is kept in the created records (durable when they sit in front of the
 * delivery ledger), so a redelivered command does not log the call twice.
 */
export class CallLogWriter {
  constructor(private readonly created: CreatedRecords<string>) {}

  async log(
    session: SalesforceSession,
    command: CrmCommand,
    ref: string,
    call: Fields,
    leadId: string,
    logger: Logger,
  ): Promise<OperationOutcome> {
    const earlier = this.created.get(command.tenant_id, command.idempotency_key, ref);
    if (earlier !== undefined) {
      logger.debug(
        { workflow_step: 'crm_push', ref, id: earlier },
        'call already logged by an earlier delivery',
      );
      return { ref, object_type: 'Task', id: earlier, action: 'skipped' };
    }
    await this.created.beforeCreate(command.tenant_id, command.idempotency_key, ref);
    const created = await session.call('Task.create', (conn) =>
      conn.sobject('Task').create({ ...call, WhoId: leadId }),
    );
    const id = createdId(created, 'Task.create');
    this.created.remember(command.tenant_id, command.idempotency_key, ref, id);
    return { ref, object_type: 'Task', id, action: 'created' };
  }
}
