import { LeadstreamError } from '../errors/leadstream-error.js';
import { transportReason } from '../http/transport-reason.js';
import { outboundRefusalIn } from '../outbound/outbound-refusal.js';

/**
 * A request that never got an answer (refused connection, reset, timeout): the CRM may be back soon.
 * Unless the outbound policy refused the connection: that is permanent and keeps its own type.
 */
export function transportFailure(crmName: string, operation: string, error: unknown): LeadstreamError {
  const refused = outboundRefusalIn(error);
  if (refused) return refused;
  const timedOut = error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
  return new LeadstreamError(
    'crm_unavailable',
    `${crmName} ${timedOut ? 'did not answer' : 'could not be reached'} (${operation}): ${transportReason(error)}`,
    { details: { operation }, cause: error },
  );
}

/** Node's and undici's codes for a connection that failed or dropped before an answer came. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

/** Whether an SDK's failure came from the network (or an aborted request) rather than from an answer. */
export function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    // Node's fetch: a TypeError "fetch failed" whose cause says why no answer came.
    (error instanceof TypeError && error.message === 'fetch failed') ||
    error.name === 'FetchError' ||
    error.name === 'AbortError' ||
    (typeof code === 'string' && NETWORK_ERROR_CODES.has(code))
  );
}
