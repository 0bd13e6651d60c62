import { LRUCache } from 'lru-cache';
import type { DuplicateRule } from '../events/crm-command.js';
import { phoneMatchKey } from '../identity/phone-identity.js';

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
 * Records (HubSpot contacts, Pipedrive persons) this process created or updated lately, by tenant and
 * normalized phone/email, under the CRM's id type. A CRM's search index lags writes by seconds to
 * minutes, so a caller who rings twice in a minute would not be found by search the second time and
 * would get a second record; this memory bridges that gap. It is per process: another delivery
 * instance, or this one after a restart, relies on search (and on what the CRM itself refuses, such
 * as HubSpot's 409 for a known email).
 */
export class RecentMatches<Id extends string | number> {
  private readonly entries: LRUCache<string, Id>;

  constructor(options: { max?: number; ttlMs?: number } = {}) {
    this.entries = new LRUCache({ max: options.max ?? 50_000, ttl: options.ttlMs ?? 60 * 60 * 1000 });
  }

  private key(tenantId: string, field: MatchField, value: string): string {
    return `${tenantId}\u0000${field}\u0000${normalizeMatchValue(field, value)}`;
  }

  get(tenantId: string, field: MatchField, value: string): Id | undefined {
    return this.entries.get(this.key(tenantId, field, value));
  }

  remember(tenantId: string, recordId: Id, values: Partial<Record<MatchField, string>>): void {
    for (const [field, value] of Object.entries(values) as Array<[MatchField, string | undefined]>) {
      if (value !== undefined && normalizeMatchValue(field, value) !== '') {
        this.entries.set(this.key(tenantId, field, value), recordId);
      }
    }
  }

  /** Drops an id the CRM no longer knows (the record was deleted or merged away). */
  forget(tenantId: string, recordId: Id): void {
    for (const [key, id] of this.entries.entries()) {
      if (id === recordId && key.startsWith(`${tenantId}\u0000`)) this.entries.delete(key);
    }
  }
}
