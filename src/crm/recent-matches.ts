import type { DuplicateRule } from '../events/crm-command.js';
import { phoneMatchKey } from '../identity/phone-identity.js';
import { type DurableRecords, durableNumbers, durableStrings } from './created-records.js';
import type { LedgerId, RecordLedger } from './ledger/record-ledger.js';
import { RecentIds } from './recent-ids.js';

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
 * HubSpot contacts and Pipedrive persons deliveries created or updated lately, by tenant and normalized
 * phone/email (RecentIds: in memory, and in the delivery ledger when the process has one), so that a
 * caller's next call within the search index's lag finds the record on any delivery process.
 */
export class RecentMatches<Id extends LedgerId> {
  private readonly ids: RecentIds<Id>;

  constructor(options: { max?: number; ttlMs?: number; ledger?: DurableRecords<Id> | undefined } = {}) {
    this.ids = new RecentIds(options);
  }

  get(tenantId: string, field: MatchField, value: string): Id | undefined {
    const normalized = normalizeMatchValue(field, value);
    return normalized === '' ? undefined : this.ids.get(tenantId, `${field}:${normalized}`);
  }

  remember(tenantId: string, recordId: Id, values: Partial<Record<MatchField, string>>): void {
    for (const key of matchKeys(values)) this.ids.remember(tenantId, key, recordId);
  }

  /** Drops a record the CRM no longer knows (deleted or merged away), as matched by these values. */
  forget(tenantId: string, recordId: Id, values: Partial<Record<MatchField, string>>): void {
    for (const key of matchKeys(values)) this.ids.forget(tenantId, key, recordId);
  }
}

function matchKeys(values: Partial<Record<MatchField, string>>): string[] {
  return (Object.entries(values) as Array<[MatchField, string | undefined]>)
    .map(([field, value]) => [field, normalizeMatchValue(field, value ?? '')])
    .filter(([, normalized]) => normalized !== '')
    .map(([field, normalized]) => `${field}:${normalized}`);
}

/** Matches of a CRM whose ids are text (HubSpot), kept in the ledger when there is one. */
export function recentStrings(ledger: RecordLedger | undefined): RecentMatches<string> {
  return new RecentMatches<string>({ ledger: durableStrings(ledger) });
}

/** Matches of a CRM whose ids are numbers (Pipedrive), kept in the ledger when there is one. */
export function recentNumbers(ledger: RecordLedger | undefined): RecentMatches<number> {
  return new RecentMatches<number>({ ledger: durableNumbers(ledger) });
}
