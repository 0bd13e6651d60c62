import { LeadstreamError } from '../errors/leadstream-error.js';
import { transportReason } from '../http/transport-reason.js';
import { outboundRefusalIn } from '../outbound/outbound-refusal.js';

export interface ProviderAnswer {
  status: number;
  /** The provider's own words or code, already cut short: never the message sent. */
  message: string;
  retryAfterMs?: number | undefined;
  /** Decided by the channel's own rule (SMTP's 4xx/5xx), instead of the HTTP one. */
  retryable?: boolean;
}

/**
 * A provider's failed answer as a typed error: 408, 429 and 5xx are worth trying again (Retry-After
 * kept), any other refusal (bad credentials, an invalid number, an archived Slack channel) will
 * refuse every attempt and goes to the dead letters at once.
 */
export function providerFailure(channel: string, answer: ProviderAnswer): LeadstreamError {
  const retryable =
    answer.retryable ?? (answer.status === 408 || answer.status === 429 || answer.status >= 500);
  return new LeadstreamError(
    retryable ? 'notification_unavailable' : 'notification_rejected',
    `${channel} answered ${answer.status}: ${answer.message}`,
    {
      ...(retryable && answer.retryAfterMs !== undefined ? { retryAfterMs: answer.retryAfterMs } : {}),
      details: { channel, status: answer.status },
    },
  );
}

/** A request that got no answer: refused by the outbound policy (permanent) or the network (retryable). */
export function unreachable(channel: string, error: unknown): LeadstreamError {
  const refusal = outboundRefusalIn(error);
  if (refusal) return refusal;
  if (error instanceof LeadstreamError) return error;
  return new LeadstreamError(
    'notification_unavailable',
    `${channel} could not be reached: ${transportReason(error)}`,
    {
      details: { channel },
    },
  );
}
