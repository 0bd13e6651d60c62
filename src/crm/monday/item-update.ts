import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { CrmCommand } from '../../events/crm-command.js';
import type { CreatedRecords } from '../created-records.js';
import type { OperationOutcome } from '../crm-adapter.js';
import { createdEarlier, NEWEST_ITEM_UPDATES } from './created-earlier.js';
import type { MondayGraphqlClient } from './graphql-client.js';
import { CREATE_UPDATE } from './graphql-documents.js';
import type { MondayUpdatePayload } from './payloads.js';

interface UpdateAnswer {
  create_update?: { id?: string } | null;
}

const UPDATE_ID = /^\d+$/;

/**
 * Puts the call on the item's activity feed as an update (`create_update`). Posted once per command
 * and ref: the update's id is kept in the created records (durable with the delivery ledger), so a
 * redelivered command does not post it twice; one posted by a delivery that died before remembering
 * its id is found among the item's newest updates (createdEarlier).
 */
export class ItemUpdates {
  constructor(private readonly created: CreatedRecords<string>) {}

  async post(
    client: MondayGraphqlClient,
    command: CrmCommand,
    ref: string,
    update: MondayUpdatePayload,
    itemId: string,
  ): Promise<OperationOutcome> {
    const earlier = this.created.get(command.tenant_id, command.idempotency_key, ref);
    if (earlier !== undefined) return { ref, object_type: 'updates', id: earlier, action: 'skipped' };
    const since = this.created.creatingSince(command.tenant_id, command.idempotency_key, ref);
    const sameBody = (found: { body?: unknown }) => found.body === update.body;
    const recovered = await createdEarlier(client, NEWEST_ITEM_UPDATES, itemId, sameBody, since);
    if (recovered !== undefined) {
      this.created.remember(command.tenant_id, command.idempotency_key, ref, recovered);
      return { ref, object_type: 'updates', id: recovered, action: 'skipped' };
    }
    await this.created.beforeCreate(command.tenant_id, command.idempotency_key, ref);
    const answer = await client.request<UpdateAnswer>('create_update', CREATE_UPDATE, {
      item: itemId,
      body: update.body,
    });
    const id = answer.create_update?.id;
    if (id === undefined || !UPDATE_ID.test(id)) {
      throw new LeadstreamError('crm_unavailable', 'Monday answered create_update without an update id', {
        details: { operation: 'create_update' },
      });
    }
    this.created.remember(command.tenant_id, command.idempotency_key, ref, id);
    return { ref, object_type: 'updates', id, action: 'created' };
  }
}
