import type { ErrorType } from '../../errors/error-types.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import { retryAfterMs } from '../../http/retry-after.js';
import { transportReason } from '../../http/transport-reason.js';
import { truncated, vendorMessage } from '../../http/vendor-message.js';
import { classifyFailedAnswer, verdictError } from '../errors/http-status-classification.js';

/** An HTTP answer that was not a success, as the adapter read it. */
export interface FailedResponse {
  status: number;
  headers: Headers;
  /** The body as text (JSON or not). */
  text: string;
}

const ADVICE: Partial<Record<ErrorType, string>> = {
  crm_auth_error: "check the tenant's credentials and their permissions in the CRM",
  crm_not_found: "check api_base_url and the endpoint's path",
};

/**
 * Classifies a non-2xx answer by the shared status rule alone: a custom CRM is any REST API, so there
 * is no vendor to make exceptions for. `redact` removes credential values the vendor may have echoed back.
 */
export function classifyResponse(
  response: FailedResponse,
  request: string,
  redact: (text: string) => string,
  now: Date,
): LeadstreamError {
  const verdict = classifyFailedAnswer({
    status: response.status,
    retryAfterMs: retryAfterMs(response.headers.get('retry-after'), now),
  });
  const message = redact(vendorMessage(response.text));
  const location = response.headers.get('location');
  const advice =
    response.status >= 300 && response.status < 400
      ? `it redirects${location === null ? '' : ` to ${redact(location)}`}: point api_base_url there`
      : ADVICE[verdict.type];
  return verdictError(
    verdict,
    `custom CRM answered ${response.status} to ${request}${message === '' ? '' : `: ${message}`}`,
    { request, status: response.status },
    advice,
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
