import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { LeadstreamError } from '../errors/leadstream-error.js';
import type { EventProducer } from './event-producer.js';
import { deadLetterMaxRecordBytes } from './record-size.js';

/** Header names on dead-letter messages; the same error_type as in logs and metrics. */
export const DEAD_LETTER_HEADERS = {
  errorType: 'leadstream-error-type',
  retryable: 'leadstream-error-retryable',
  message: 'leadstream-error-message',
  stage: 'leadstream-stage',
  sourceTopic: 'leadstream-source-topic',
  sourcePartition: 'leadstream-source-partition',
  sourceOffset: 'leadstream-source-offset',
  attempts: 'leadstream-attempts',
  failedAt: 'leadstream-failed-at',
  tenantId: 'leadstream-tenant-id',
  callId: 'leadstream-call-id',
  /** On a `record_too_large` dead letter: the size of the record refused, by `recordSize`. */
  recordBytes: 'leadstream-record-bytes',
  /** On a `record_too_large` dead letter: the limit it was over. */
  recordLimit: 'leadstream-record-limit',
} as const;

/**
 * Header values are cut to these many UTF-8 bytes, so that what a dead letter adds to its input stays
 * within DEAD_LETTER_HEADROOM_BYTES whatever the error or the input's ids. 256 keeps every tenant id
 * (at most 128 characters) and topic name (at most 249) whole.
 */
export const MAX_ERROR_MESSAGE_BYTES = 2_048;
export const MAX_HEADER_VALUE_BYTES = 256;

/** `text` cut to at most `maxBytes` of UTF-8, at a character boundary. */
function cut(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text);
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}

export interface DeadLetter {
  stage: string;
  source: { topic: string; partition: number };
  message: KafkaMessage;
  error: LeadstreamError;
  attempts: number;
  failedAt: Date;
  tenantId?: string | undefined;
  callId?: string | undefined;
}

/**
 * Moves a message that cannot succeed out of the way, with its original key, value and headers
 * untouched (so it can be replayed byte for byte) and headers saying where it came from and why.
 *
 * A dead letter may be larger than KAFKA_MAX_RECORD_BYTES by DEAD_LETTER_HEADROOM_BYTES (the dead-letter
 * topic is created to take it): an input at the limit is dead-lettered like any other instead of being
 * refused again on every attempt, which would hold its partition.
 */
export class DeadLetterWriter {
  private readonly maxRecordBytes: number;

  constructor(
    private readonly producer: EventProducer,
    private readonly topic: string,
  ) {
    this.maxRecordBytes = deadLetterMaxRecordBytes(producer.maxRecordBytes);
  }

  async write(letter: DeadLetter): Promise<void> {
    const value = (text: string) => cut(text, MAX_HEADER_VALUE_BYTES);
    const { error } = letter;
    const headers: IHeaders = {
      ...letter.message.headers,
      [DEAD_LETTER_HEADERS.errorType]: value(error.type),
      [DEAD_LETTER_HEADERS.retryable]: String(error.retryable),
      [DEAD_LETTER_HEADERS.message]: cut(error.message, MAX_ERROR_MESSAGE_BYTES),
      [DEAD_LETTER_HEADERS.stage]: value(letter.stage),
      [DEAD_LETTER_HEADERS.sourceTopic]: value(letter.source.topic),
      [DEAD_LETTER_HEADERS.sourcePartition]: String(letter.source.partition),
      [DEAD_LETTER_HEADERS.sourceOffset]: value(letter.message.offset),
      [DEAD_LETTER_HEADERS.attempts]: String(letter.attempts),
      [DEAD_LETTER_HEADERS.failedAt]: letter.failedAt.toISOString(),
    };
    const tenantId = letter.tenantId === undefined ? undefined : value(letter.tenantId);
    if (tenantId !== undefined) headers[DEAD_LETTER_HEADERS.tenantId] = tenantId;
    if (letter.callId !== undefined) headers[DEAD_LETTER_HEADERS.callId] = value(letter.callId);
    const { bytes, limit } = error.details;
    if (error.type === 'record_too_large' && typeof bytes === 'number' && typeof limit === 'number') {
      headers[DEAD_LETTER_HEADERS.recordBytes] = String(bytes);
      headers[DEAD_LETTER_HEADERS.recordLimit] = String(limit);
    }
    await this.producer.send(
      {
        topic: this.topic,
        key: letter.message.key?.toString('utf8') ?? tenantId ?? '',
        value: letter.message.value ?? Buffer.alloc(0),
        headers,
      },
      { maxRecordBytes: this.maxRecordBytes },
    );
  }
}
