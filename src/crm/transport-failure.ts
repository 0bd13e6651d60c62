import { LeadstreamError } from '../errors/leadstream-error.js';
import { transportReason } from '../http/transport-reason.js';

/** A request that never got an answer (refused connection, reset, timeout): the CRM may be back soon. */
export function transportFailure(crmName: string, operation: string, error: unknown): LeadstreamError {
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
    error.name === 'FetchError' ||
    error.name === 'AbortError' ||
    (typeof code === 'string' && NETWORK_ERROR_CODES.has(code))
  );
}
