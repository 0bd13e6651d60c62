import { LRUCache } from 'lru-cache';

/** Where an item was matched: the board, the match column and the caller's value in it. */
export interface ItemMatch {
  boardId: string;
  columnId: string;
  value: string;
}

/**
 * Items this process created, by matched value, for a few minutes: the next call from the same number
 * finds the first one's item even when Monday's column search has not caught up with the write yet.
 * A contact's commands are delivered in order by the process holding its partition, so the memory
 * serves while that process lives; a redelivery of the same command is the ledger's (see ItemUpsert).
 */
export class RecentItems {
  private readonly byMatch = new LRUCache<string, string>({ max: 100_000, ttl: 15 * 60_000 });

  private key(tenantId: string, match: ItemMatch): string {
    return `${tenantId}\u0000${match.boardId}\u0000${match.columnId}\u0000${match.value}`;
  }

  forMatch(tenantId: string, match: ItemMatch): string | undefined {
    return this.byMatch.get(this.key(tenantId, match));
  }

  remember(tenantId: string, match: ItemMatch, itemId: string): void {
    this.byMatch.set(this.key(tenantId, match), itemId);
  }
}
