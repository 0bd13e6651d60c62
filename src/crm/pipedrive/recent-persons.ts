import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { LRUCache } from 'lru-cache';

export type MatchField = 'phone' | 'email';

/** The form two spellings of one phone number or email share: national digits, lower-case address. */
export function normalizeMatchValue(field: MatchField, value: string): string {
  if (field === 'email') return value.trim().toLowerCase();
  const parsed = parsePhoneNumberFromString(value.trim(), 'US');
  return parsed ? parsed.nationalNumber : value.replace(/\D/g, '');
}

/**
 * Persons this process created or updated lately, by tenant and normalized phone/email. Pipedrive's
 * search index lags writes, so a caller who rings twice within a minute may not be found by search
 * the second time; this memory bridges that gap. It is per process: another delivery instance, or
 * this one after a restart, relies on search alone.
 */
export class RecentPersons {
  private readonly entries: LRUCache<string, number>;

  constructor(options: { max?: number; ttlMs?: number } = {}) {
    this.entries = new LRUCache({ max: options.max ?? 50_000, ttl: options.ttlMs ?? 60 * 60 * 1000 });
  }

  private key(tenantId: string, field: MatchField, value: string): string {
    return `${tenantId}\u0000${field}\u0000${normalizeMatchValue(field, value)}`;
  }

  get(tenantId: string, field: MatchField, value: string): number | undefined {
    return this.entries.get(this.key(tenantId, field, value));
  }

  remember(tenantId: string, personId: number, values: Partial<Record<MatchField, string>>): void {
    for (const [field, value] of Object.entries(values) as Array<[MatchField, string | undefined]>) {
      if (value !== undefined && normalizeMatchValue(field, value) !== '') {
        this.entries.set(this.key(tenantId, field, value), personId);
      }
    }
  }

  /** Drops an id Pipedrive no longer knows (the person was deleted or merged away). */
  forget(tenantId: string, personId: number): void {
    for (const [key, id] of this.entries.entries()) {
      if (id === personId && key.startsWith(`${tenantId}\u0000`)) this.entries.delete(key);
    }
  }
}
