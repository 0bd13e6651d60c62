import { LRUCache } from 'lru-cache';

/**
 * Records this process created, by tenant, command idempotency key and operation ref, under the CRM's
 * id type, so that a redelivered command does not create its deal, task or activity twice: the CRM has
 * no natural key to find them by.
 *
 * Residual risk: the memory lives as long as the process. A command redelivered after a restart or
 * to another delivery instance, whose first attempt created a record before failing, creates a second
 * one. Closing that needs a durable store or a CRM-side key (for HubSpot, a custom unique property
 * holding the idempotency key, which batch upsert could then target); until then the window is a
 * crash between a create and the offset commit.
 */
export class CreatedRecords<Id extends string | number> {
  private readonly entries: LRUCache<string, Id>;

  constructor(options: { max?: number; ttlMs?: number } = {}) {
    this.entries = new LRUCache({ max: options.max ?? 100_000, ttl: options.ttlMs ?? 24 * 60 * 60 * 1000 });
  }

  private key(tenantId: string, idempotencyKey: string, ref: string): string {
    return `${tenantId}\u0000${idempotencyKey}\u0000${ref}`;
  }

  get(tenantId: string, idempotencyKey: string, ref: string): Id | undefined {
    return this.entries.get(this.key(tenantId, idempotencyKey, ref));
  }

  remember(tenantId: string, idempotencyKey: string, ref: string, id: Id): void {
    this.entries.set(this.key(tenantId, idempotencyKey, ref), id);
  }

  /** Drops an id the CRM no longer knows (the record was deleted or merged away since). */
  forget(tenantId: string, idempotencyKey: string, ref: string): void {
    this.entries.delete(this.key(tenantId, idempotencyKey, ref));
  }
}
