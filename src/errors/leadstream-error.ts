import { ERROR_TYPES, type ErrorType } from './error-types.js';

export interface LeadstreamErrorOptions {
  /** Overrides the type's default classification (a 5xx-looking validation answer, say). */
  retryable?: boolean;
  /** The delay the remote side asked for (Retry-After, a body hint). */
  retryAfterMs?: number;
  /** Safe, structured context: never secrets, tokens or transcripts. */
  details?: Record<string, string | number | boolean | null>;
  cause?: unknown;
}

/** The one error type of leadstream: a typed, classified failure that logs, metrics and dead letters share. */
export class LeadstreamError extends Error {
  readonly type: ErrorType;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, string | number | boolean | null>;

  constructor(type: ErrorType, message: string, options: LeadstreamErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LeadstreamError';
    this.type = type;
    this.retryable = options.retryable ?? ERROR_TYPES[type].retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details ?? {};
  }
}

/** Anything thrown becomes a LeadstreamError; unknown exceptions are bugs, so permanent. */
export function toLeadstreamError(error: unknown): LeadstreamError {
  if (error instanceof LeadstreamError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new LeadstreamError('internal_error', message, { cause: error });
}
