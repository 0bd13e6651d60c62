/** A record id as the CRM types it: HubSpot and Zoho strings, Pipedrive numbers. */
export type LedgerId = string | number;

/** Names one record a command created: its tenant, its idempotency key and the operation's ref. */
export interface LedgerEntry {
  tenantId: string;
  idempotencyKey: string;
  ref: string;
}

/**
 * The records deliveries created, kept beyond one process: a command redelivered on any process after
 * any crash finds the deal or task its first delivery created and updates it instead of creating a
 * second. Reads are from memory (kept up to date by the store); a write is durable once `settle()` of its
 * command has resolved, which delivery awaits before the command's offset may commit.
 */
export interface RecordLedger {
  get(entry: LedgerEntry): LedgerId | undefined;
  remember(entry: LedgerEntry, id: LedgerId): void;
  /** The CRM no longer knows the record (deleted or merged since). */
  forget(entry: LedgerEntry): void;
  /** Resolves once every write of this command so far is durable; rejects when one failed. */
  settle(tenantId: string, idempotencyKey: string): Promise<void>;
  /** Resolves once the ledger holds every write made before this call, by any process. */
  catchUp(): Promise<void>;
}

export function ledgerKey(entry: LedgerEntry): string {
  return `${entry.tenantId}\u0000${entry.idempotencyKey}\u0000${entry.ref}`;
}
