import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { DurableRecords } from './created-records.js';
import type { LedgerId } from './ledger/record-ledger.js';

/**
 * The record a tenant's caller was matched to or created as lately, by a match key the CRM's own
 * matching names (a normalized phone or e-mail; a board column's value), under the CRM's id type. A
 * CRM's search index lags writes by seconds to minutes, so a caller who rings twice in a minute would
 * not be found by search the second time and would get a second record; this memory bridges that gap.
 * In front of the delivery ledger when the process has one (delivery does), so the caller's next call
 * finds the record even when it reaches another process (a rebalance, a crash) before search does; the
 * ledger, which every delivery process reads, holds the match key hashed, like the contact key. An entry
 * older than `ttlMs` is not used: by then search finds the record, and the CRM may have merged or
 * deleted it.
 */
export class RecentIds<Id extends LedgerId> {
  private readonly entries: LRUCache<string, Id>;
  private readonly ttlMs: number;
  private readonly ledger: DurableRecords<Id> | undefined;

  constructor(options: { max?: number; ttlMs?: number; ledger?: DurableRecords<Id> | undefined } = {}) {
    this.ttlMs = options.ttlMs ?? 60 * 60 * 1000;
    this.entries = new LRUCache({ max: options.max ?? 50_000, ttl: this.ttlMs });
    this.ledger = options.ledger;
  }

  get(tenantId: string, matchKey: string): Id | undefined {
    const cached = this.entries.get(`${tenantId}\u0000${matchKey}`);
    if (cached !== undefined || this.ledger === undefined) return cached;
    const { store, isId } = this.ledger;
    const at = store.get(ledgerEntry(tenantId, matchKey, 'at'));
    if (typeof at !== 'number' || Date.now() - at > this.ttlMs) return undefined;
    const id = store.get(ledgerEntry(tenantId, matchKey, 'record'));
    return id !== undefined && isId(id) ? id : undefined;
  }

  remember(tenantId: string, matchKey: string, id: Id): void {
    this.entries.set(`${tenantId}\u0000${matchKey}`, id);
    if (this.ledger === undefined) return;
    const { store } = this.ledger;
    const entry = ledgerEntry(tenantId, matchKey, 'record');
    store.remember(entry, id);
    store.remember(ledgerEntry(tenantId, matchKey, 'at'), Date.now());
    // Nothing waits for a match to be durable (it only saves a duplicate within the search lag);
    // settling here keeps the ledger from holding its writes for a settle that never comes.
    store.settle(tenantId, entry.idempotencyKey).catch(() => undefined);
  }

  /** Drops a record the CRM no longer knows (deleted or merged away), unless the key names another by now. */
  forget(tenantId: string, matchKey: string, id: Id): void {
    const key = `${tenantId}\u0000${matchKey}`;
    if (this.entries.get(key) === id) this.entries.delete(key);
    const entry = ledgerEntry(tenantId, matchKey, 'record');
    if (this.ledger?.store.get(entry) === id) {
      this.ledger.store.forget(entry);
      this.ledger.store.settle(tenantId, entry.idempotencyKey).catch(() => undefined);
    }
  }
}

/** Where the ledger keeps one match: its own "command", so no delivery's settle waits for it. */
function ledgerEntry(tenantId: string, matchKey: string, ref: 'record' | 'at') {
  const digest = createHash('sha256').update(matchKey).digest('hex').slice(0, 32);
  return { tenantId, idempotencyKey: `match:${digest}`, ref };
}
