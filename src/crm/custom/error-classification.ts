import type { ErrorType } from '../../errors/error-types.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';

/** How much of a vendor's answer an error quotes: enough to act on, not a whole HTML page. */
const MESSAGE_LIMIT = 300;

/** An HTTP answer that was not a success, as the adapter read it. */
export interface FailedResponse {
  status: number;
  headers: Headers;
  /** The body as text (JSON or not). */
  text: string;
}

/**
 * The delay a Retry-After header asks for: seconds, or an HTTP date. Undefined when absent or
 * unreadable, so the stage runner's own back-off applies.
 */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

function textAt(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  if (typeof value === 'string' && value !== '') return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return textAt(value as Record<string, unknown>, 'message');
  }
  if (Array.isArray(value) && value.length > 0) {
    const first = value[0];
    if (typeof first === 'string') return first;
    if (first !== null && typeof first === 'object')
      return textAt(first as Record<string, unknown>, 'message');
  }
  return undefined;
}

/**
 * The vendor's explanation, wherever common REST APIs put it: `message`, `error` (text or an object
 * with a message), `error_description` (OAuth), `errors[0].message`, `detail` / `title` (RFC 9457);
 * else the body's first characters.
 */
export function vendorMessage(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const parts = ['message', 'error', 'error_description', 'errors', 'detail', 'title']
      .map((key) => textAt(record, key))
      .filter((part): part is string => part !== undefined);
    const distinct = [...new Set(parts)].slice(0, 2);
    if (distinct.length > 0) return truncate(distinct.join(': '));
  }
  return truncate(text.replace(/\s+/g, ' ').trim());
}

function truncate(text: string): string {
  return text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}…` : text;
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
  const cause = error instanceof Error ? (error.cause ?? error) : error;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new LeadstreamError(
    'crm_unavailable',
    timedOut
      ? `custom CRM did not answer ${request} within ${timeoutMs} ms`
      : `custom CRM could not be reached for ${request}: ${redact(truncate(reason))}`,
    { details: { request }, cause: error },
  );
}
