import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { LeadstreamError } from '../errors/leadstream-error.js';
import type { EventProducer } from './event-producer.js';

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
} as const;

const MAX_MESSAGE_LENGTH = 1000;

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
 */
export class DeadLetterWriter {
  constructor(
    private readonly producer: EventProducer,
    private readonly topic: string,
  ) {}

  async write(letter: DeadLetter): Promise<void> {
    const headers: IHeaders = {
      ...letter.message.headers,
      [DEAD_LETTER_HEADERS.errorType]: letter.error.type,
      [DEAD_LETTER_HEADERS.retryable]: String(letter.error.retryable),
      [DEAD_LETTER_HEADERS.message]: letter.error.message.slice(0, MAX_MESSAGE_LENGTH),
      [DEAD_LETTER_HEADERS.stage]: letter.stage,
      [DEAD_LETTER_HEADERS.sourceTopic]: letter.source.topic,
      [DEAD_LETTER_HEADERS.sourcePartition]: String(letter.source.partition),
      [DEAD_LETTER_HEADERS.sourceOffset]: letter.message.offset,
      [DEAD_LETTER_HEADERS.attempts]: String(letter.attempts),
      [DEAD_LETTER_HEADERS.failedAt]: letter.failedAt.toISOString(),
    };
    if (letter.tenantId !== undefined) headers[DEAD_LETTER_HEADERS.tenantId] = letter.tenantId;
    if (letter.callId !== undefined) headers[DEAD_LETTER_HEADERS.callId] = letter.callId;
    await this.producer.send({
      topic: this.topic,
      key: letter.message.key?.toString('utf8') ?? letter.tenantId ?? '',
      value: letter.message.value ?? Buffer.alloc(0),
      headers,
    });
  }
}
