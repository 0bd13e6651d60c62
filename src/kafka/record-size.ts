import type { IHeaders } from 'kafkajs';

/** What `recordSize` measures: a record as leadstream hands it to the producer. */
export interface SizedRecord {
  key: string;
  value: Buffer;
  headers?: IHeaders | undefined;
}

/**
 * A record batch's fixed header (base offset 8, length 4, leader epoch 4, magic 1, CRC 4, attributes 2,
 * last offset delta 4, first and max timestamps 16, producer id 8, epoch 2, base sequence 4, record
 * count 4). The broker compares the whole batch, header included, with `max.message.bytes`.
 */
export const RECORD_BATCH_OVERHEAD_BYTES = 61;

/**
 * A record's framing at its largest (record format v2, as kafkajs writes it): length varint 5,
 * attributes 1, timestamp delta varlong 10, offset delta varint 5, key and value length varints 5 each,
 * header count varint 5.
 */
const RECORD_OVERHEAD_BYTES = 36;

/** A header's key and value length varints at their largest. */
const HEADER_OVERHEAD_BYTES = 10;

function headerBytes(name: string, value: Buffer | string | undefined): number {
  return (
    HEADER_OVERHEAD_BYTES + Buffer.byteLength(name) + (value === undefined ? 0 : Buffer.byteLength(value))
  );
}

/**
 * The bytes a record takes inside a record batch, never less than kafkajs will write (varints are
 * counted at their widest), so a record within a limit by this measure is within it on the wire.
 */
export function recordSize(record: SizedRecord): number {
  let bytes = RECORD_OVERHEAD_BYTES + Buffer.byteLength(record.key) + record.value.length;
  for (const [name, value] of Object.entries(record.headers ?? {})) {
    // kafkajs writes an array-valued header as one header per element, each repeating the name.
    if (Array.isArray(value)) for (const item of value) bytes += headerBytes(name, item);
    else bytes += headerBytes(name, value);
  }
  return bytes;
}

/**
 * KAFKA_MAX_RECORD_BYTES defaults to 1,000,000. A broker's `message.max.bytes` (1,048,588 unless
 * changed: 1 MiB plus the 12-byte log entry header) is compared with a whole record batch, so the
 * largest record a stock broker, or a topic left at its default, takes alone is 1,048,527 bytes by
 * `recordSize`. 1,000,000 stays 48,527 bytes under it: the setting works on a cluster whose topics
 * someone else created with defaults, and topics leadstream creates get 1,000,061, no more than any
 * broker or consumer (fetch sizes default to 1 MiB) is set up for.
 *
 * The topic-level `max.message.bytes` that lets the broker take every batch the producer sends when
 * no record, and no group of records for one partition, is over `maxRecordBytes`.
 */
export function topicMaxMessageBytes(maxRecordBytes: number): number {
  return maxRecordBytes + RECORD_BATCH_OVERHEAD_BYTES;
}

/**
 * What a dead letter may weigh beyond KAFKA_MAX_RECORD_BYTES. A dead letter is its input record (key,
 * value and headers, at most KAFKA_MAX_RECORD_BYTES since leadstream wrote it) plus the headers saying
 * why, and `DeadLetterWriter` bounds those: the error message cut to 2,048 bytes, every other value to
 * 256, so all thirteen, with a null key replaced by the tenant id, take at most 4,382 bytes. 8 KiB
 * leaves room for a header added later (a unit test fails when the bound outgrows it), and at the
 * default limit the dead-letter topic's 1,008,253 bytes stay under a stock broker's message.max.bytes
 * and a consumer's default 1 MiB partition fetch.
 */
export const DEAD_LETTER_HEADROOM_BYTES = 8_192;

/** The largest dead letter, by `recordSize`, for a pipeline whose records are at most `maxRecordBytes`. */
export function deadLetterMaxRecordBytes(maxRecordBytes: number): number {
  return maxRecordBytes + DEAD_LETTER_HEADROOM_BYTES;
}
