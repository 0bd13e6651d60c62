import { LeadstreamError } from '../errors/leadstream-error.js';

/**
 * Why a request got no answer. fetch throws "fetch failed" and keeps the useful part (ECONNREFUSED,
 * a DNS failure, a TLS error) in its cause.
 */
export function transportReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}

/** A request that never got an answer (refused connection, reset, timeout): the CRM may be back soon. */
export function transportFailure(crmName: string, operation: string, error: unknown): LeadstreamError {
  const timedOut = error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
  return new LeadstreamError(
    'crm_unavailable',
    `${crmName} ${timedOut ? 'did not answer' : 'could not be reached'} (${operation}): ${transportReason(error)}`,
    { details: { operation }, cause: error },
  );
}
