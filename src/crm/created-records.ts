import { LRUCache } from 'lru-cache';
import type { LedgerId, RecordLedger } from './ledger/record-ledger.js';

/** How far a CRM's clock may be behind ours when telling a record made since an announcement. */
const CREATOR_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Records deliveries created, by tenant, command idempotency key and operation ref, under the CRM's id
 * type, so that a redelivered command does not create its deal, task or activity twice: the CRM has no
 * natural key to find them by. In front of the durable RecordLedger when the process has one (delivery
 * does: src/crm/ledger/), which any process redelivering the command reads; without one (tests, the
 * CLI) the memory lives as long as the process.
 */
export class CreatedRecords<Id extends LedgerId> {
  private readonly entries: LRUCache<string, Id>;
  private readonly ledger: DurableRecords<Id> | undefined;

  constructor(options: { max?: number; ttlMs?: number; ledger?: DurableRecords<Id> | undefined } = {}) {
    this.entries = new LRUCache({ max: options.max ?? 100_000, ttl: options.ttlMs ?? 24 * 60 * 60 * 1000 });
    this.ledger = options.ledger;
  }

  private key(tenantId: string, idempotencyKey: string, ref: string): string {
    return `${tenantId}\u0000${idempotencyKey}\u0000${ref}`;
  }

  get(tenantId: string, idempotencyKey: string, ref: string): Id | undefined {
    const cached = this.entries.get(this.key(tenantId, idempotencyKey, ref));
    if (cached !== undefined) return cached;
    const durable = this.ledger?.store.get({ tenantId, idempotencyKey, ref });
    return durable !== undefined && this.ledger?.isId(durable) ? durable : undefined;
  }

  remember(tenantId: string, idempotencyKey: string, ref: string, id: Id): void {
    this.entries.set(this.key(tenantId, idempotencyKey, ref), id);
    this.ledger?.store.remember({ tenantId, idempotencyKey, ref }, id);
  }

  /**
   * Resolves once the ledger has acknowledged a note that this record is about to be created, and every
   * earlier write of the command: while Kafka cannot take the id a create returns (a broker restarting),
   * nothing is created, so a crash then cannot leave a record the ledger never heard of. Without a ledger,
   * at once.
   */
  async beforeCreate(tenantId: string, idempotencyKey: string, ref: string): Promise<void> {
    if (this.ledger === undefined) return;
    this.ledger.store.remember({ tenantId, idempotencyKey, ref: `${ref}#creating` }, Date.now());
    await this.ledger.store.settle(tenantId, idempotencyKey);
  }

  /**
   * When a create of this record was announced (beforeCreate) and its id never remembered: the earliest
   * creation time the CRM may have stamped on a record that attempt made (the announcement, less
   * CREATOR_CLOCK_SKEW_MS), in epoch ms. The earlier attempt may still have created it (a crash or a
   * timeout between the CRM's answer and the ledger's acknowledgement), so a CRM that can list its
   * records looks for one created since then before creating another. Undefined without a ledger, and
   * once the id is known.
   */
  creatingSince(tenantId: string, idempotencyKey: string, ref: string): number | undefined {
    if (this.get(tenantId, idempotencyKey, ref) !== undefined) return undefined;
    const mark = this.ledger?.store.get({ tenantId, idempotencyKey, ref: `${ref}#creating` });
    return typeof mark === 'number' ? mark - CREATOR_CLOCK_SKEW_MS : undefined;
  }

  /** Drops an id the CRM no longer knows (the record was deleted or merged away since). */
  forget(tenantId: string, idempotencyKey: string, ref: string): void {
    this.entries.delete(this.key(tenantId, idempotencyKey, ref));
    this.ledger?.store.forget({ tenantId, idempotencyKey, ref });
  }
}

/** The ledger, and how this CRM's ids are told from another's in it. */
export interface DurableRecords<Id extends LedgerId> {
  store: RecordLedger;
  isId(id: LedgerId): id is Id;
}

export const isStringId = (id: LedgerId): id is string => typeof id === 'string';
export const isNumberId = (id: LedgerId): id is number => typeof id === 'number';

/** The ledger, when the process has one, as a CRM whose ids are text keeps its memories in it. */
export function durableStrings(ledger: RecordLedger | undefined): DurableRecords<string> | undefined {
  return ledger && { store: ledger, isId: isStringId };
}

/** The ledger, when the process has one, as a CRM whose ids are numbers (Pipedrive) keeps them in it. */
export function durableNumbers(ledger: RecordLedger | undefined): DurableRecords<number> | undefined {
  return ledger && { store: ledger, isId: isNumberId };
}

/** The records of a CRM whose ids are text, kept in the ledger when there is one. */
export function createdStrings(ledger: RecordLedger | undefined): CreatedRecords<string> {
  return new CreatedRecords<string>({ ledger: durableStrings(ledger) });
}

/** The records of a CRM whose ids are numbers (Pipedrive), kept in the ledger when there is one. */
export function createdNumbers(ledger: RecordLedger | undefined): CreatedRecords<number> {
  return new CreatedRecords<number>({ ledger: durableNumbers(ledger) });
}
