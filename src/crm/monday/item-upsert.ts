import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { CrmCommand } from '../../events/crm-command.js';
import type { Logger } from '../../observability/logger.js';
import type { CreatedRecords } from '../created-records.js';
import type { RecentIds } from '../recent-ids.js';
import type { BoardColumn, BoardColumns } from './board-columns.js';
import { columnValuesJson, searchValues } from './column-values.js';
import { createdEarlier, NEWEST_BOARD_ITEMS } from './created-earlier.js';
import type { MondayGraphqlClient } from './graphql-client.js';
import { CHANGE_COLUMN_VALUES, CREATE_ITEM, ITEMS_BY_COLUMN_VALUE } from './graphql-documents.js';
import type { MondayItemPayload } from './payloads.js';

export interface ItemUpsertResult {
  id: string;
  action: 'created' | 'updated' | 'skipped';
}

interface ItemsAnswer {
  items_page_by_column_values?: { items?: Array<{ id: string; name: string }> | null } | null;
}

interface MutationAnswer {
  create_item?: { id?: string } | null;
  change_multiple_column_values?: { id?: string } | null;
}

/** Monday item ids are numbers; anything else never goes back into a request. */
const ITEM_ID = /^\d+$/;

function itemIdOf(value: string | undefined, operation: string): string {
  if (value !== undefined && ITEM_ID.test(value)) return value;
  throw new LeadstreamError('crm_unavailable', `Monday answered ${operation} without an item id`, {
    details: { operation },
  });
}

const oldest = (items: Array<{ id: string }>) =>
  items
    .map((item) => item.id)
    .filter((id) => ITEM_ID.test(id))
    .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))[0];

const isStaleColumn = (error: unknown) =>
  error instanceof LeadstreamError && error.details.error_code === 'InvalidColumnIdException';

/** The item operation of a command: its ref (under which the created item is remembered) and payload. */
export interface ItemOperation {
  ref: string;
  item: MondayItemPayload;
}

/**
 * Makes the board hold the command's item: the one an earlier delivery of the command created (in the
 * created records, which outlive the process when they sit in front of the delivery ledger: with
 * duplicate detection off nothing else finds it; or, when that delivery announced the create and died
 * before remembering the id, among the board's newest items: createdEarlier), else found by the
 * match column (the caller's phone),
 * then updated (change_multiple_column_values) or, when none exists, created in the configured group.
 * A column id Monday no longer knows (a column deleted and re-added since the titles were read)
 * re-reads the board's columns and tries once more.
 */
export class ItemUpsert {
  constructor(
    private readonly columns: BoardColumns,
    private readonly created: CreatedRecords<string>,
    private readonly recent: RecentIds<string>,
  ) {}

  async upsert(
    client: MondayGraphqlClient,
    command: CrmCommand,
    operation: ItemOperation,
    logger: Logger,
  ): Promise<ItemUpsertResult> {
    try {
      return await this.attempt(client, command, operation, logger);
    } catch (error) {
      if (!isStaleColumn(error)) throw error;
      logger.info(
        { workflow_step: 'crm_push', board_id: operation.item.board_id },
        'Monday no longer knows a cached column id; reading the board columns again',
      );
      this.columns.forget(command.tenant_id, operation.item.board_id);
      return await this.attempt(client, command, operation, logger);
    }
  }

  private async attempt(
    client: MondayGraphqlClient,
    command: CrmCommand,
    { ref, item }: ItemOperation,
    logger: Logger,
  ): Promise<ItemUpsertResult> {
    const tenantId = command.tenant_id;
    const titles = [...Object.keys(item.columns), ...(item.match_column === null ? [] : [item.match_column])];
    const resolved = await this.columns.resolve(client, tenantId, item.board_id, titles);
    const matchColumn = item.match_column === null ? undefined : resolved.get(item.match_column);
    const matchValue = matchColumn === undefined ? null : item.match_value;
    const match =
      matchColumn === undefined || matchValue === null
        ? undefined
        : itemMatchKey(item.board_id, matchColumn.id, matchValue);

    const known = this.created.get(tenantId, command.idempotency_key, ref);
    const since =
      known === undefined ? this.created.creatingSince(tenantId, command.idempotency_key, ref) : undefined;
    const sameName = (found: { name?: unknown }) => found.name === item.item_name;
    const recovered = await createdEarlier(client, NEWEST_BOARD_ITEMS, item.board_id, sameName, since);
    if (recovered !== undefined) {
      logger.info(
        { workflow_step: 'crm_push', ref, item_id: recovered },
        'item created by an earlier delivery that did not record it; not creating another',
      );
      this.created.remember(tenantId, command.idempotency_key, ref, recovered);
      if (match !== undefined) this.recent.remember(tenantId, match, recovered);
      return { id: recovered, action: 'skipped' };
    }
    const existing =
      known ??
      (match === undefined ? undefined : this.recent.get(tenantId, match)) ??
      (matchColumn === undefined || matchValue === null
        ? undefined
        : await this.find(client, item.board_id, matchColumn, matchValue));
    const values = columnValuesJson(item.columns, resolved);

    if (existing === undefined) {
      await this.created.beforeCreate(tenantId, command.idempotency_key, ref);
      const answer = await client.request<MutationAnswer>('create_item', CREATE_ITEM, {
        board: item.board_id,
        group: item.group_id,
        name: item.item_name,
        values,
      });
      const id = itemIdOf(answer.create_item?.id, 'create_item');
      this.created.remember(tenantId, command.idempotency_key, ref, id);
      if (match !== undefined) this.recent.remember(tenantId, match, id);
      return { id, action: 'created' };
    }
    if (command.duplicate_detection?.action === 'skip') {
      logger.debug({ workflow_step: 'crm_push', item_id: existing }, 'item exists; duplicate action is skip');
      return { id: existing, action: 'skipped' };
    }
    if (values !== '{}') {
      const answer = await client.request<MutationAnswer>(
        'change_multiple_column_values',
        CHANGE_COLUMN_VALUES,
        {
          board: item.board_id,
          item: existing,
          values,
        },
      );
      itemIdOf(answer.change_multiple_column_values?.id, 'change_multiple_column_values');
    }
    return { id: existing, action: 'updated' };
  }

  private async find(
    client: MondayGraphqlClient,
    boardId: string,
    column: BoardColumn,
    value: string,
  ): Promise<string | undefined> {
    const answer = await client.request<ItemsAnswer>('items_page_by_column_values', ITEMS_BY_COLUMN_VALUE, {
      board: boardId,
      column: column.id,
      values: searchValues(column, value),
    });
    return oldest(answer.items_page_by_column_values?.items ?? []);
  }
}

/** Where an item was matched: the board, the match column and the caller's value in it. */
function itemMatchKey(boardId: string, columnId: string, value: string): string {
  return `${boardId}\u0000${columnId}\u0000${value}`;
}
