import { z } from 'zod';
import type { RetryRoute, WaitingKey, WaitingKeys } from '../../kafka/runner/retry-topics.js';
import type { LedgerEntry, RecordLedger } from './record-ledger.js';

const routeSchema = z.object({
  tier: z.object({ topic: z.string().min(1), delayMs: z.number().int().positive() }),
  hop: z.number().int().min(0),
  dueAt: z.number().int().positive(),
});

/**
 * Delivery's keys waiting on a retry topic, kept in the delivery ledger: a process started after a crash
 * (or given the partition in a rebalance) reads them before it takes the partition, so a contact's later
 * command still follows the one waiting instead of overtaking it (two commands of one caller at once
 * would each create the contact, the CRM's search not yet finding the other's).
 */
export class LedgerWaitingKeys implements WaitingKeys {
  constructor(
    private readonly ledger: RecordLedger,
    /** RETRY_WINDOW_MS: a mark whose message never finished is forgotten after it. */
    private readonly windowMs: number,
  ) {}

  async mark(key: WaitingKey, route: RetryRoute): Promise<void> {
    const entry = entryOf(key);
    this.ledger.remember(entry, JSON.stringify(route));
    await this.ledger.settle(entry.tenantId, entry.idempotencyKey);
  }

  routeOf(key: WaitingKey): RetryRoute | undefined {
    const stored = this.ledger.get(entryOf(key));
    if (typeof stored !== 'string') return undefined;
    let route: RetryRoute;
    try {
      const parsed = routeSchema.safeParse(JSON.parse(stored));
      if (!parsed.success) return undefined;
      route = parsed.data;
    } catch {
      return undefined;
    }
    return route.dueAt + this.windowMs < Date.now() ? undefined : route;
  }

  async release(key: WaitingKey, dueAt: number): Promise<void> {
    const route = this.routeOf(key);
    if (route === undefined || route.dueAt > dueAt) return;
    const entry = entryOf(key);
    this.ledger.forget(entry);
    await this.ledger.settle(entry.tenantId, entry.idempotencyKey);
  }
}

function entryOf(key: WaitingKey): LedgerEntry {
  return { tenantId: key.tenant, idempotencyKey: `waiting:${key.key}`, ref: 'retry' };
}
