import type { ErrorType } from '../../errors/error-types.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import { retryAfterMs } from '../../http/retry-after.js';
import { transportReason } from '../../http/transport-reason.js';
import { truncated, vendorMessage } from '../../http/vendor-message.js';

/** An HTTP answer that was not a success, as the adapter read it. */
export interface FailedResponse {
  status: number;
  headers: Headers;
  /** The body as text (JSON or not). */
  text: string;
}

function typeFor(status: number): ErrorType {
  if (status === 429) return 'crm_rate_limited';
  if (status === 408 || status >= 500) return 'crm_unavailable';
  if (status === 401 || status === 403) return 'crm_auth_error';
  if (status === 404) return 'crm_not_found';
  return 'crm_rejected';
}

const ADVICE: Partial<Record<ErrorType, string>> = {
  crm_auth_error: "check the tenant's credentials and their permissions in the CRM",
  crm_not_found: "check api_base_url and the endpoint's path",
};

/**
 * Classifies a non-2xx answer: 408, 429 and 5xx are retryable with the delay Retry-After asks for;
 * 401 and 403 are credential problems; every other 4xx is permanent with the vendor's message.
 * `redact` removes credential values the vendor may have echoed back.
 */
export function classifyResponse(
  response: FailedResponse,
  request: string,
  redact: (text: string) => string,
  now: Date,
): LeadstreamError {
  const type = typeFor(response.status);
  const message = redact(vendorMessage(response.text));
  const location = response.headers.get('location');
  const advice =
    response.status >= 300 && response.status < 400
      ? `it redirects${location === null ? '' : ` to ${redact(location)}`}: point api_base_url there`
      : ADVICE[type];
  const delay = retryAfterMs(response.headers.get('retry-after'), now);
  return new LeadstreamError(
    type,
    `custom CRM answered ${response.status} to ${request}${message === '' ? '' : `: ${message}`}${advice === undefined ? '' : ` (${advice})`}`,
    {
      ...(delay === undefined ? {} : { retryAfterMs: delay }),
      details: { request, status: response.status },
    },
  );
}

/** A request that got no answer: refused, reset, unresolvable or past its deadline. Always retryable. */
export function classifyTransportFailure(
  error: unknown,
  request: string,
  timeoutMs: number,
  redact: (text: string) => string,
): LeadstreamError {
  const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  return new LeadstreamError(
    'crm_unavailable',
    timedOut
      ? `custom CRM did not answer ${request} within ${timeoutMs} ms`
      : `custom CRM could not be reached for ${request}: ${redact(truncated(transportReason(error)))}`,
    { details: { request }, cause: error },
  );
}
