import { describe, expect, it } from 'vitest';
import { durableStrings } from '../../../src/crm/created-records.js';
import { RecentMatches } from '../../../src/crm/recent-matches.js';
import { MemoryRecordLedger } from '../../support/memory-record-ledger.js';

const TENANT = 'tenant_a';
const onLedger = (ledger: MemoryRecordLedger, ttlMs?: number) =>
  new RecentMatches<string>({ ledger: durableStrings(ledger), ttlMs });

describe('RecentMatches in front of the delivery ledger', () => {
  it("finds another process's record by any spelling of the number, never another tenant's", () => {
    const ledger = new MemoryRecordLedger();
    onLedger(ledger).remember(TENANT, '901', { phone: '+1 (512) 555-0143', email: 'Jane@Example.com' });
    const other = onLedger(ledger);
    expect(other.get(TENANT, 'phone', '512.555.0143')).toBe('901');
    expect(other.get(TENANT, 'email', 'jane@example.com')).toBe('901');
    expect(other.get('tenant_b', 'phone', '512.555.0143')).toBeUndefined();
  });

  it('does not use an entry older than its time to live: search finds the record by then', async () => {
    const ledger = new MemoryRecordLedger();
    onLedger(ledger, 20).remember(TENANT, '901', { phone: '+15125550143' });
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(onLedger(ledger, 20).get(TENANT, 'phone', '+15125550143')).toBeUndefined();
  });

  it('forgets a record the CRM no longer knows for every process, and leaves a newer one alone', () => {
    const ledger = new MemoryRecordLedger();
    onLedger(ledger).remember(TENANT, '901', { phone: '+15125550143' });
    onLedger(ledger).forget(TENANT, '901', { phone: '+15125550143' });
    expect(onLedger(ledger).get(TENANT, 'phone', '+15125550143')).toBeUndefined();

    onLedger(ledger).remember(TENANT, '902', { phone: '+15125550143' });
    onLedger(ledger).forget(TENANT, '901', { phone: '+15125550143' });
    expect(onLedger(ledger).get(TENANT, 'phone', '+15125550143')).toBe('902');
  });

  it('leaves no write of its own waiting for a settle that no delivery makes', () => {
    const ledger = new MemoryRecordLedger();
    onLedger(ledger).remember(TENANT, '901', { phone: '+15125550143', email: 'jane@example.com' });
    const pending = ledger
      .keys()
      .map((key) => key.split('\u0000'))
      .filter(([, idempotencyKey]) => ledger.pendingWrites(TENANT, idempotencyKey ?? '') > 0);
    expect(pending).toEqual([]);
  });
});
