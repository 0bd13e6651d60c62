import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { EventProducer } from '../../kafka/event-producer.js';
import type { Logger } from '../../observability/logger.js';
import { type LedgerEntry, type LedgerId, ledgerKey, type RecordLedger } from './record-ledger.js';

export interface KafkaRecordLedgerOptions {
  kafka: Kafka;
  producer: EventProducer;
  /** A compacted topic (see ensureTopics): one record per created CRM record, a tombstone when forgotten. */
  topic: string;
  /** Prefix of the reader's consumer group; each process reads the whole ledger under a group of its own. */
  groupPrefix: string;
  logger: Logger;
  /** How long catchUp() waits for the reader before failing as kafka_unavailable. */
  catchUpTimeoutMs?: number;
  /** Entries kept in memory, newest first; the topic keeps them for its retention (7 days). */
  maxEntries?: number;
}

/** A created record's id, or that the CRM no longer knows it. */
const entryValueSchema = z.union([
  z.object({ id: z.union([z.string().min(1), z.number()]) }),
  z.object({ forgotten: z.literal(true) }),
]);

/**
 * The RecordLedger on a compacted Kafka topic. Every delivery process reads the whole topic into memory
 * with a consumer group of its own (no commits: it starts from the beginning each time) and writes what it
 * creates with the shared idempotent producer (acks=all). Any process can be handed any partition of
 * crm-commands, so each holds every partition's entries rather than only its own: a few hundred bytes
 * per created record, for the topic's retention.
 */
export class KafkaRecordLedger implements RecordLedger {
  private readonly entries: LRUCache<string, LedgerId>;
  /** Next offset to read, by partition, as far as the reader got. */
  private readonly read = new Map<number, number>();
  private readonly pending = new Map<string, Set<Promise<void>>>();
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly options: KafkaRecordLedgerOptions) {
    this.entries = new LRUCache({ max: options.maxEntries ?? 500_000 });
    this.consumer = options.kafka.consumer({ groupId: `${options.groupPrefix}-ledger-${randomUUID()}` });
    this.admin = options.kafka.admin();
  }

  /** Connects and starts reading; catchUp() says when what was written before is in. */
  async start(): Promise<void> {
    await this.admin.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        for (const message of batch.messages) {
          this.apply(message.key, message.value);
          resolveOffset(message.offset);
        }
        this.read.set(batch.partition, Number(batch.lastOffset()) + 1);
        for (const wake of this.waiters) wake();
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.admin.disconnect();
  }

  get(entry: LedgerEntry): LedgerId | undefined {
    return this.entries.get(ledgerKey(entry));
  }

  remember(entry: LedgerEntry, id: LedgerId): void {
    this.entries.set(ledgerKey(entry), id);
    this.write(entry, Buffer.from(JSON.stringify({ id })));
  }

  forget(entry: LedgerEntry): void {
    this.entries.delete(ledgerKey(entry));
    this.write(entry, Buffer.from(JSON.stringify({ forgotten: true })));
  }

  async settle(tenantId: string, idempotencyKey: string): Promise<void> {
    const command = `${tenantId}\u0000${idempotencyKey}`;
    const writes = this.pending.get(command);
    if (!writes) return;
    this.pending.delete(command);
    await Promise.all(writes);
  }

  async catchUp(): Promise<void> {
    const ends = await this.admin.fetchTopicOffsets(this.options.topic);
    const behind = () =>
      ends.some(({ partition, high, low }) => high !== low && (this.read.get(partition) ?? 0) < Number(high));
    if (!behind()) return;
    const timeoutMs = this.options.catchUpTimeoutMs ?? 30_000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new LeadstreamError(
            'kafka_unavailable',
            `the delivery ledger was not read up to date in ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        if (behind()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  private write(entry: LedgerEntry, value: Buffer): void {
    const command = `${entry.tenantId}\u0000${entry.idempotencyKey}`;
    const sent = this.options.producer.send({ topic: this.options.topic, key: ledgerKey(entry), value });
    const writes = this.pending.get(command) ?? new Set<Promise<void>>();
    writes.add(sent);
    this.pending.set(command, writes);
    // Awaited by settle(); this only keeps an unsettled failure from being an unhandled rejection.
    sent.catch(() => undefined);
  }

  private apply(key: Buffer | null, value: Buffer | null): void {
    if (key === null) return;
    const name = key.toString('utf8');
    if (value === null) return;
    try {
      const parsed = entryValueSchema.safeParse(JSON.parse(value.toString('utf8')));
      if (parsed.success && 'id' in parsed.data) this.entries.set(name, parsed.data.id);
      else if (parsed.success) this.entries.delete(name);
      else
        this.options.logger.warn({ workflow_step: 'crm_push', status: 'skipped' }, 'unreadable ledger entry');
    } catch {
      this.options.logger.warn({ workflow_step: 'crm_push', status: 'skipped' }, 'unreadable ledger entry');
    }
  }
}
