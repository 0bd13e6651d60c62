import type { IHeaders } from 'kafkajs';
import { SOURCE_NAME_PATTERN } from '../events/raw-call.js';

/** Headers leadstream reads on raw-calls (docs/producing-events.md). */
export const PRODUCER_HEADERS = {
  /** The producer's name, as its records' source_name: counts its rejections and labels its logs. */
  producer: 'leadstream-producer',
  /** The producer's own id for the record or its request, carried into every log line about it. */
  correlationId: 'leadstream-correlation-id',
  /** W3C trace context, read as the correlation id when the producer sends no correlation header. */
  traceparent: 'traceparent',
} as const;

/** Printable ASCII without spaces, as trace and request ids are; anything else is not logged. */
const CORRELATION_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

export interface ProducerContext {
  /** The header's name when it is a valid one; `unknown` when absent or invalid. */
  producer: string;
  correlationId: string | undefined;
}

function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/**
 * Who sent a message and its correlation id, from its headers. Both come from outside: a name that is
 * not a source name, or an id that is not printable, is ignored rather than logged or used as a label.
 */
export function producerContext(headers: IHeaders | undefined): ProducerContext {
  const producer = headerText(headers, PRODUCER_HEADERS.producer);
  const correlation =
    headerText(headers, PRODUCER_HEADERS.correlationId) ?? headerText(headers, PRODUCER_HEADERS.traceparent);
  return {
    producer: producer !== undefined && SOURCE_NAME_PATTERN.test(producer) ? producer : 'unknown',
    correlationId:
      correlation !== undefined && CORRELATION_ID_PATTERN.test(correlation) ? correlation : undefined,
  };
}
