import type { MondayGraphqlClient } from './graphql-client.js';
import { ITEM_UPDATES, NEWEST_ITEMS } from './graphql-documents.js';

/** The board's newest items, or the item's newest updates, looked at: a redelivery comes soon after. */
const MAX_LOOKED_AT = 100;

/** Monday ids are numbers; anything else never goes back into a request. */
const MONDAY_ID = /^\d+$/;

interface Created {
  id?: unknown;
  created_at?: unknown;
}

interface NewestItemsAnswer {
  boards?: Array<{
    items_page?: { items?: Array<Created & { name?: unknown }> | null } | null;
  } | null> | null;
}

interface ItemUpdatesAnswer {
  items?: Array<{ updates?: Array<Created & { body?: unknown }> | null } | null> | null;
}

function madeSince(record: Created, since: number): record is Created & { id: string } {
  if (typeof record.id !== 'string' || !MONDAY_ID.test(record.id)) return false;
  const at = typeof record.created_at === 'string' ? Date.parse(record.created_at) : Number.NaN;
  return at >= since;
}

/**
 * The item an earlier delivery of the command created but could not remember (it crashed or timed out
 * between Monday's answer and the ledger's acknowledgement): among the board's newest items, read from
 * the board (items_page ordered by creation) rather than the column search, which lags, one with the
 * same name created since `since` (CreatedRecords.creatingSince).
 */
export async function itemCreatedEarlier(
  client: MondayGraphqlClient,
  boardId: string,
  name: string,
  since: number,
): Promise<string | undefined> {
  const answer = await client.request<NewestItemsAnswer>('items_page', NEWEST_ITEMS, {
    board: [boardId],
    limit: MAX_LOOKED_AT,
  });
  const items = answer.boards?.[0]?.items_page?.items ?? [];
  for (const item of items) if (item.name === name && madeSince(item, since)) return item.id;
  return undefined;
}

/**
 * The update (the call) an earlier delivery of the command posted on the item but could not remember:
 * among the item's newest updates, one with the same body posted since `since`.
 */
export async function updateCreatedEarlier(
  client: MondayGraphqlClient,
  itemId: string,
  body: string,
  since: number,
): Promise<string | undefined> {
  const answer = await client.request<ItemUpdatesAnswer>('item_updates', ITEM_UPDATES, {
    item: [itemId],
    limit: MAX_LOOKED_AT,
  });
  const updates = answer.items?.[0]?.updates ?? [];
  for (const update of updates) if (update.body === body && madeSince(update, since)) return update.id;
  return undefined;
}
