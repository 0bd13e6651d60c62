import { LRUCache } from 'lru-cache';

/**
 * Items this process created, by command and by matched value. A redelivered command finds its item
 * even with duplicate detection off, and a second call from the same number finds the first one's
 * item even if Monday's column search has not caught up with the write yet.
 */
export class RecentItems {
  private readonly byCommand = new LRUCache<string, string>({ max: 100_000, ttl: 24 * 60 * 60_000 });
  private readonly byMatch = new LRUCache<string, string>({ max: 100_000, ttl: 15 * 60_000 });

  forCommand(tenantId: string, idempotencyKey: string): string | undefined {
    return this.byCommand.get(`${tenantId}\u0000${idempotencyKey}`);
  }

  forMatch(tenantId: string, boardId: string, columnId: string, value: string): string | undefined {
    return this.byMatch.get(`${tenantId}\u0000${boardId}\u0000${columnId}\u0000${value}`);
  }

  remember(
    itemId: string,
    created: { tenantId: string; idempotencyKey: string },
    match: { boardId: string; columnId: string; value: string } | undefined,
  ): void {
    this.byCommand.set(`${created.tenantId}\u0000${created.idempotencyKey}`, itemId);
    if (match !== undefined) {
      this.byMatch.set(
        `${created.tenantId}\u0000${match.boardId}\u0000${match.columnId}\u0000${match.value}`,
        itemId,
      );
    }
  }
}
