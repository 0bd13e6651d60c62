import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { LRUCache } from 'lru-cache';

export type MatchField = 'phone' | 'email';

/**
 * A phone number's national digits, as HubSpot's hs_searchable_calculated_phone_number holds them:
 * "+1 (512) 555-0143", "512.555.0143" and "+15125550143" are all "5125550143".
 */
export function searchablePhoneDigits(value: string): string {
  const parsed = parsePhoneNumberFromString(value.trim(), 'US');
  return parsed ? parsed.nationalNumber : value.replace(/\D/g, '');
}

/** The form two spellings of one phone number or email share. */
export function normalizeMatchValue(field: MatchField, value: string): string {
  return field === 'email' ? value.trim().toLowerCase() : searchablePhoneDigits(value);
}

/**
 * Contacts this process created or updated lately, by tenant and normalized phone/email. HubSpot's
 * search index lags writes by seconds to minutes, so a caller who rings twice in a minute would not
 * be found by search the second time and would get a second contact; this memory bridges that gap.
 * It is per process: another delivery instance, or this one after a restart, relies on search and
 * on the 409 HubSpot raises for a known email.
 */
export class RecentContacts {
  private readonly entries: LRUCache<string, string>;

  constructor(options: { max?: number; ttlMs?: number } = {}) {
    this.entries = new LRUCache({ max: options.max ?? 50_000, ttl: options.ttlMs ?? 60 * 60 * 1000 });
  }

  private key(tenantId: string, field: MatchField, value: string): string {
    return `${tenantId}\u0000${field}\u0000${normalizeMatchValue(field, value)}`;
  }

  get(tenantId: string, field: MatchField, value: string): string | undefined {
    return this.entries.get(this.key(tenantId, field, value));
  }

  remember(tenantId: string, contactId: string, values: Partial<Record<MatchField, string>>): void {
    for (const [field, value] of Object.entries(values) as Array<[MatchField, string | undefined]>) {
      if (value !== undefined && normalizeMatchValue(field, value) !== '') {
        this.entries.set(this.key(tenantId, field, value), contactId);
      }
    }
  }

  /** Drops an id HubSpot no longer knows (the contact was deleted or merged away). */
  forget(tenantId: string, contactId: string): void {
    for (const [key, id] of this.entries.entries()) {
      if (id === contactId && key.startsWith(`${tenantId}\u0000`)) this.entries.delete(key);
    }
  }
}
