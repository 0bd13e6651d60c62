import type { ErrorType } from '../../errors/error-types.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';

/**
 * An answer the gateway gives on purpose: a LeadstreamError, so its type is the reply's `code` and the
 * log line's `error_type`, plus the HTTP status and the field at fault when one is.
 */
export class GatewayError extends LeadstreamError {
  readonly field: string | undefined;
  /** Sent as Retry-After with a 429. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly statusCode: number,
    type: ErrorType,
    message: string,
    fieldOrOptions?: string | { field?: string; retryAfterSeconds?: number },
  ) {
    const options = typeof fieldOrOptions === 'string' ? { field: fieldOrOptions } : (fieldOrOptions ?? {});
    super(type, message, options.field === undefined ? {} : { details: { field: options.field } });
    this.name = 'GatewayError';
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const errorReplySchema = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    code: { type: 'string' },
    message: { type: 'string' },
    field: { type: 'string' },
  },
  required: ['statusCode', 'error', 'code', 'message'],
} as const;

export const acceptedReplySchema = {
  type: 'object',
  properties: {
    accepted: { type: 'boolean' },
    tenant_id: { type: 'string' },
    call_id: { type: 'string' },
  },
  required: ['accepted', 'tenant_id', 'call_id'],
} as const;
