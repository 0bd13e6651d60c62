import kafkajs from 'kafkajs';

// kafkajs spreads its error classes into module.exports, which Node cannot see as named ESM exports.
const { KafkaJSProtocolError } = kafkajs;

/**
 * Broker answers that say the idempotent producer's state (its producer id, epoch or per-partition
 * sequence numbers) no longer matches the broker's. kafkajs never recovers from them: it rolls its
 * sequence back after every failed request, so each later request to that partition repeats the
 * mismatch. Only a fresh producer (a new producer id, sequences from 0) writes there again.
 */
const PRODUCER_STATE_ERRORS: ReadonlySet<string> = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'UNKNOWN_PRODUCER_ID',
]);

/** Broker answers that refuse a record batch for its size. */
const SIZE_ERRORS: ReadonlySet<string> = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/**
 * What a failed `sendBatch` means for the records in it:
 * - `producer_state`: the producer must be replaced before they are sent again;
 * - `refused`: a broker answered a partition's batch with an error, and kafkajs reports only the first
 *   partition's error, without saying which partition: the other partitions of the request may have
 *   been written, refused, or be fine;
 * - `unavailable`: the send failed before or around the broker (disconnected, invalid request).
 */
export type SendFailure = 'producer_state' | 'refused' | 'unavailable';

export function classifySendFailure(error: unknown): SendFailure {
  if (!(error instanceof KafkaJSProtocolError)) return 'unavailable';
  return PRODUCER_STATE_ERRORS.has(error.type) ? 'producer_state' : 'refused';
}

/** The broker refused a batch as too large for the topic's `max.message.bytes`. */
export function isSizeRefusal(error: unknown): boolean {
  return error instanceof KafkaJSProtocolError && SIZE_ERRORS.has(error.type);
}

/** Where a record went: its topic, and the partition kafkajs chose (unknown if it never got that far). */
export interface Placed {
  topic: string;
  partition: number | undefined;
}

/**
 * A group's records by topic partition, in first-seen order, each keeping its records' order. A
 * partition's part holds exactly the records of the failed request's batch for it, which is what lets
 * the broker recognise a batch it already wrote when the part is sent again (see EventProducer).
 */
export function byPartition<T extends Placed>(group: readonly T[]): T[][] {
  const parts = new Map<string, T[]>();
  for (const record of group) {
    const where = `${record.topic}\u0000${record.partition ?? 'unknown'}`;
    const part = parts.get(where);
    if (part) part.push(record);
    else parts.set(where, [record]);
  }
  return [...parts.values()];
}
