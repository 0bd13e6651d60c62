import {
  type LedgerEntry,
  type LedgerId,
  ledgerKey,
  type RecordLedger,
} from '../../src/crm/ledger/record-ledger.js';

/**
 * The delivery ledger of a test: what the broker-backed one holds, in a map two adapter instances can
 * share the way two delivery processes share the topic. Every write is durable at once, so settle()
 * only says how many writes a command made since it last settled.
 */
export class MemoryRecordLedger implements RecordLedger {
  private readonly entries = new Map<string, LedgerId>();
  private readonly unsettled = new Map<string, number>();

  get(entry: LedgerEntry): LedgerId | undefined {
    return this.entries.get(ledgerKey(entry));
  }

  remember(entry: LedgerEntry, id: LedgerId): void {
    this.entries.set(ledgerKey(entry), id);
    this.wrote(entry);
  }

  forget(entry: LedgerEntry): void {
    this.entries.delete(ledgerKey(entry));
    this.wrote(entry);
  }

  async settle(tenantId: string, idempotencyKey: string): Promise<void> {
    this.unsettled.delete(`${tenantId}\u0000${idempotencyKey}`);
  }

  async catchUp(): Promise<void> {}

  /** The entries' keys, as a reader of the topic sees them. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** Writes of this command not yet settled. */
  pendingWrites(tenantId: string, idempotencyKey: string): number {
    return this.unsettled.get(`${tenantId}\u0000${idempotencyKey}`) ?? 0;
  }

  private wrote(entry: LedgerEntry): void {
    const command = `${entry.tenantId}\u0000${entry.idempotencyKey}`;
    this.unsettled.set(command, (this.unsettled.get(command) ?? 0) + 1);
  }
}
