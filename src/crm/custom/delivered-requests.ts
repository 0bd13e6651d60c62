import { LRUCache } from 'lru-cache';

/**
 * Ids of the records this process created for each command's operations, so that a command retried
 * after a later operation failed (a 429 on the opportunity) does not create its contact again: a
 * generic REST API offers no search to find it by.
 *
 * Residual risk: the memory lives as long as the process. A command redelivered after a restart or to
 * another delivery instance repeats its requests; each carries an `Idempotency-Key` header (the
 * command's key and the operation's ref), which APIs that honour that convention use to answer the
 * repeat with the first record. A record with a `find_<record>` endpoint is looked for there first.
 */
export class DeliveredRequests {
  private readonly ids: LRUCache<string, string | number>;

  constructor(options: { max?: number; ttlMs?: number } = {}) {
    this.ids = new LRUCache({ max: options.max ?? 100_000, ttl: options.ttlMs ?? 24 * 60 * 60 * 1000 });
  }

  private key(tenantId: string, idempotencyKey: string, ref: string): string {
    return `${tenantId}\u0000${idempotencyKey}\u0000${ref}`;
  }

  get(tenantId: string, idempotencyKey: string, ref: string): string | number | undefined {
    return this.ids.get(this.key(tenantId, idempotencyKey, ref));
  }

  remember(tenantId: string, idempotencyKey: string, ref: string, id: string | number): void {
    this.ids.set(this.key(tenantId, idempotencyKey, ref), id);
  }
}
