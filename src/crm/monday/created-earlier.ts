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
 * Where records of one kind stand, newest first: the query, the variable that names the record they
 * hang under, and their list in its answer.
 */
interface NewestRecords<Answer, Listed extends Created> {
  operation: string;
  document: string;
  parent: string;
  listed(answer: Answer): readonly Listed[] | null | undefined;
}

/** A board's newest items, read from the board (by creation) rather than the column search, which lags. */
export const NEWEST_BOARD_ITEMS: NewestRecords<NewestItemsAnswer, Created & { name?: unknown }> = {
  operation: 'items_page',
  document: NEWEST_ITEMS,
  parent: 'board',
  listed: (answer) => answer.boards?.[0]?.items_page?.items,
};

/** An item's newest updates (the calls posted on it). */
export const NEWEST_ITEM_UPDATES: NewestRecords<ItemUpdatesAnswer, Created & { body?: unknown }> = {
  operation: 'item_updates',
  document: ITEM_UPDATES,
  parent: 'item',
  listed: (answer) => answer.items?.[0]?.updates,
};

/**
 * The record (an item, an update) an earlier delivery of the command created but could not remember (it
 * crashed or timed out between Monday's answer and the ledger's acknowledgement): among the parent's
 * newest records, one that `same` recognises created since `since` (CreatedRecords.creatingSince);
 * nothing to look for when no create was announced.
 */
export async function createdEarlier<Answer, Listed extends Created>(
  client: MondayGraphqlClient,
  newest: NewestRecords<Answer, Listed>,
  parentId: string,
  same: (record: Listed) => boolean,
  since: number | undefined,
): Promise<string | undefined> {
  if (since === undefined) return undefined;
  const answer = await client.request<Answer>(newest.operation, newest.document, {
    [newest.parent]: [parentId],
    limit: MAX_LOOKED_AT,
  });
  for (const record of newest.listed(answer) ?? [])
    if (same(record) && madeSince(record, since)) return record.id;
  return undefined;
}
