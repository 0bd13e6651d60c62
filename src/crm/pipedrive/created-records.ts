import { LRUCache } from 'lru-cache';

/**
 * Deals and activities this process created, by tenant, command idempotency key and operation ref,
 * so that a redelivered command does not create them twice: Pipedrive has no natural key to find a
 * deal or activity by. The memory lives as long as the process; a redelivery after a restart, whose
 * first attempt created a deal before failing, creates a second one.
 */
export class CreatedRecords {
  private readonly entries: LRUCache<string, number>;

  constructor(options: { max?: number; ttlMs?: number } = {}) {
    this.entries = new LRUCache({ max: options.max ?? 100_000, ttl: options.ttlMs ?? 24 * 60 * 60 * 1000 });
  }

  private key(tenantId: string, idempotencyKey: string, ref: string): string {
    return `${tenantId}\u0000${idempotencyKey}\u0000${ref}`;
  }

  get(tenantId: string, idempotencyKey: string, ref: string): number | undefined {
    return this.entries.get(this.key(tenantId, idempotencyKey, ref));
  }

  remember(tenantId: string, idempotencyKey: string, ref: string, id: number): void {
    this.entries.set(this.key(tenantId, idempotencyKey, ref), id);
  }
}
