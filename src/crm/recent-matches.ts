import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { DuplicateRule } from '../events/crm-command.js';
import { phoneMatchKey } from '../identity/phone-identity.js';
import { type DurableRecords, isNumberId, isStringId } from './created-records.js';
import type { LedgerId, RecordLedger } from './ledger/record-ledger.js';

export type MatchField = 'phone' | 'email';

/**
 * The form two spellings of one phone number or email share: a lower-case address, or a number's
 * identity ("+1 (512) 555-0143", "512.555.0143" and "+15125550143" are all "+15125550143").
 */
export function normalizeMatchValue(field: MatchField, value: string): string {
  if (field === 'email') return value.trim().toLowerCase();
  return phoneMatchKey(value);
}

/**
 * The fields a caller is matched by, in the rule's order, among those the lead has a value for. One
 * meaning of `duplicate_detection` for every CRM: absent or disabled, the mapper sends no rule and
 * nothing is matched (docs/mapping-language.md).
 */
export function matchFieldsOf(
  rule: DuplicateRule | null,
  valueFor: (field: MatchField) => string | undefined,
): MatchField[] {
  return (rule?.match_fields ?? []).filter(
    (f): f is MatchField =>
      (f === 'phone' || f === 'email') && normalizeMatchValue(f, valueFor(f) ?? '') !== '',
  );
}

/**
 * Records (HubSpot contacts, Pipedrive persons) deliveries created or updated lately, by tenant and
 * normalized phone/email, under the CRM's id type. A CRM's search index lags writes by seconds to
 * minutes, so a caller who rings twice in a minute would not be found by search the second time and
 * would get a second record; this memory bridges that gap. In front of the delivery ledger when the
 * process has one (delivery does), so the caller's next call finds the record even when it reaches
 * another process (a rebalance, a crash) before the search does; the values are kept there hashed, like
 * the contact key. An entry older than `ttlMs` is not used: by then search finds the record, and the
 * CRM may have merged or deleted it.
 */
export class RecentMatches<Id extends LedgerId> {
  private readonly entries: LRUCache<string, Id>;
  private readonly ttlMs: number;
  private readonly ledger: DurableRecords<Id> | undefined;

  constructor(options: { max?: number; ttlMs?: number; ledger?: DurableRecords<Id> | undefined } = {}) {
    this.ttlMs = options.ttlMs ?? 60 * 60 * 1000;
    this.entries = new LRUCache({ max: options.max ?? 50_000, ttl: this.ttlMs });
    this.ledger = options.ledger;
  }

  private key(tenantId: string, field: MatchField, normalized: string): string {
    return `${tenantId}\u0000${field}\u0000${normalized}`;
  }

  /** Where the ledger keeps one match: its own "command", so no delivery's settle waits for it. */
  private ledgerEntry(tenantId: string, field: MatchField, normalized: string, ref: 'record' | 'at') {
    return { tenantId, idempotencyKey: `match:${field}:${digest(normalized)}`, ref };
  }

  get(tenantId: string, field: MatchField, value: string): Id | undefined {
    const normalized = normalizeMatchValue(field, value);
    const cached = this.entries.get(this.key(tenantId, field, normalized));
    if (cached !== undefined || this.ledger === undefined || normalized === '') return cached;
    const { store, isId } = this.ledger;
    const at = store.get(this.ledgerEntry(tenantId, field, normalized, 'at'));
    if (typeof at !== 'number' || Date.now() - at > this.ttlMs) return undefined;
    const id = store.get(this.ledgerEntry(tenantId, field, normalized, 'record'));
    return id !== undefined && isId(id) ? id : undefined;
  }

  remember(tenantId: string, recordId: Id, values: Partial<Record<MatchField, string>>): void {
    for (const [field, normalized] of this.normalized(values)) {
      this.entries.set(this.key(tenantId, field, normalized), recordId);
      if (this.ledger === undefined) continue;
      const { store } = this.ledger;
      store.remember(this.ledgerEntry(tenantId, field, normalized, 'record'), recordId);
      store.remember(this.ledgerEntry(tenantId, field, normalized, 'at'), Date.now());
      // Nothing waits for a match to be durable (it only saves a duplicate within the search lag);
      // settling here keeps the ledger from holding its writes for a settle that never comes.
      store
        .settle(tenantId, this.ledgerEntry(tenantId, field, normalized, 'record').idempotencyKey)
        .catch(() => undefined);
    }
  }

  /** Drops a record the CRM no longer knows (deleted or merged away), as matched by these values. */
  forget(tenantId: string, recordId: Id, values: Partial<Record<MatchField, string>>): void {
    for (const [field, normalized] of this.normalized(values)) {
      const key = this.key(tenantId, field, normalized);
      if (this.entries.get(key) === recordId) this.entries.delete(key);
      const entry = this.ledgerEntry(tenantId, field, normalized, 'record');
      if (this.ledger?.store.get(entry) === recordId) {
        this.ledger.store.forget(entry);
        this.ledger.store.settle(tenantId, entry.idempotencyKey).catch(() => undefined);
      }
    }
  }

  private normalized(values: Partial<Record<MatchField, string>>): Array<[MatchField, string]> {
    return (Object.entries(values) as Array<[MatchField, string | undefined]>)
      .map(([field, value]): [MatchField, string] => [field, normalizeMatchValue(field, value ?? '')])
      .filter(([, normalized]) => normalized !== '');
  }
}

/** Matches of a CRM whose ids are text (HubSpot), kept in the ledger when there is one. */
export function recentStrings(ledger: RecordLedger | undefined): RecentMatches<string> {
  return new RecentMatches<string>({ ledger: ledger && { store: ledger, isId: isStringId } });
}

/** Matches of a CRM whose ids are numbers (Pipedrive), kept in the ledger when there is one. */
export function recentNumbers(ledger: RecordLedger | undefined): RecentMatches<number> {
  return new RecentMatches<number>({ ledger: ledger && { store: ledger, isId: isNumberId } });
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);
