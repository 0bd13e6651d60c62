import { ERROR_TYPES, type ErrorType } from '../../errors/error-types.js';
import { LeadstreamError, type LeadstreamErrorOptions } from '../../errors/leadstream-error.js';

/**
 * What the shared rule reads of a CRM's failed answer. A CRM's own answer type extends it with what
 * its exceptions look at (the vendor's message, headers, when the answer came).
 */
export interface FailedAnswer {
  /**
   * The HTTP status: 200 for an error inside a successful answer (GraphQL, a batch's per-record
   * result); undefined when the SDK kept none, and then only the vendor's code can decide.
   */
  status: number | undefined;
  /** The vendor's error code (`errorCode`, `extensions.code`, `category`), when the answer names one. */
  code?: string | undefined;
  /** The vendor's words, for the exceptions and rate-limit windows that read them. */
  message?: string | undefined;
  /** The wait the answer asked for: Retry-After (src/http/retry-after.ts) or the vendor's own hint. */
  retryAfterMs?: number | undefined;
}

/** One place where a CRM departs from the shared rule. Every condition it gives must hold. */
export interface StatusException<A extends FailedAnswer> {
  /** The statuses it applies to; absent: any status (a vendor code that means the same whatever the status). */
  status?: readonly number[];
  /** The vendor codes it applies to. */
  codes?: ReadonlySet<string>;
  /** What else of the answer must hold (the body names a missing property, say). */
  when?: (answer: A) => boolean;
  type: ErrorType;
}

/** A CRM's departures from the shared rule, declared as data beside its adapter. */
export interface CrmErrorRules<A extends FailedAnswer> {
  /** Tried in order before the shared rule; the first that holds decides. */
  exceptions: readonly StatusException<A>[];
  /**
   * How long a rate limit lasts when the answer asks for no wait (the vendor's documented window);
   * without it the runner's back-off decides.
   */
  rateLimitWaitMs?: (answer: A) => number;
}

export interface StatusVerdict {
  type: ErrorType;
  retryable: boolean;
  /** Only on a retryable verdict: a permanent failure is not tried again, however long it asks to wait. */
  retryAfterMs: number | undefined;
}

/**
 * The one HTTP status → error type rule every CRM shares. 4xx is permanent except 408 (the request
 * timed out), 423 (the record is locked for now) and 429; 5xx is retryable except 501 (the CRM does
 * not implement the request: no later attempt will). 401 and 403 are both the credentials: a missing
 * scope (HubSpot), an insufficient access (Salesforce), a missing permission (Zoho, Pipedrive,
 * Monday) or a refused token all need someone to change the CRM user or the tenant's configuration.
 * A vendor that also answers 403 for a rate limit (Salesforce REQUEST_LIMIT_EXCEEDED) declares that
 * as its exception. Anything else that reports a failure (a 2xx carrying errors, a 3xx) is rejected.
 */
export function typeForStatus(status: number | undefined): ErrorType {
  if (status === undefined) return 'crm_rejected';
  if (status === 401 || status === 403) return 'crm_auth_error';
  if (status === 404 || status === 410) return 'crm_not_found';
  if (status === 429) return 'crm_rate_limited';
  if (status === 408 || status === 423) return 'crm_unavailable';
  if (status === 501) return 'crm_rejected';
  if (status >= 500 && status <= 599) return 'crm_unavailable';
  return 'crm_rejected';
}

function holds<A extends FailedAnswer>(exception: StatusException<A>, answer: A): boolean {
  if (exception.status !== undefined && !exception.status.includes(answer.status ?? -1)) return false;
  if (exception.codes !== undefined && !exception.codes.has(answer.code ?? '')) return false;
  return exception.when === undefined || exception.when(answer);
}

/**
 * The rules of a CRM whose error codes mean the same whatever the status they come with (jsforce
 * keeps none; GraphQL and batch answers carry them inside a 200): each type's codes, in order.
 */
export function vendorCodeRules(
  codesByType: Partial<Record<ErrorType, readonly string[]>>,
  rateLimitWaitMs: (answer: FailedAnswer) => number,
): CrmErrorRules<FailedAnswer> {
  const exceptions = Object.entries(codesByType).map(([type, codes]) => ({
    codes: new Set(codes),
    type: type as ErrorType,
  }));
  return { exceptions, rateLimitWaitMs };
}

const SHARED_RULE_ONLY: CrmErrorRules<FailedAnswer> = { exceptions: [] };

/**
 * Classifies a failed answer: the CRM's first exception that holds, else the shared status rule; a
 * retryable verdict waits as long as the answer asked, or for a rate limit the vendor's window.
 */
export function classifyFailedAnswer<A extends FailedAnswer>(
  answer: A,
  rules: CrmErrorRules<A> = SHARED_RULE_ONLY,
): StatusVerdict {
  const type =
    rules.exceptions.find((exception) => holds(exception, answer))?.type ?? typeForStatus(answer.status);
  const retryable = ERROR_TYPES[type].retryable;
  const wait =
    answer.retryAfterMs ?? (type === 'crm_rate_limited' ? rules.rateLimitWaitMs?.(answer) : undefined);
  return { type, retryable, retryAfterMs: retryable ? wait : undefined };
}

/**
 * The verdict on an OAuth token endpoint's refusal. What the shared rule calls permanent there
 * (400 invalid_grant, 401 invalid_client: RFC 6749 section 5.2) is the credentials or the app's
 * setup, which someone must change; what it calls retryable stays retryable.
 */
export function classifyTokenRefusal<A extends FailedAnswer>(
  answer: A,
  rules: CrmErrorRules<A> = SHARED_RULE_ONLY,
): StatusVerdict {
  const verdict = classifyFailedAnswer(answer, rules);
  return verdict.retryable ? verdict : { type: 'crm_auth_error', retryable: false, retryAfterMs: undefined };
}

/**
 * The error of a classified answer: the verdict's type and wait, the CRM's words for what happened,
 * and what the operator should check, when there is advice for that type.
 */
export function verdictError(
  verdict: StatusVerdict,
  message: string,
  details: NonNullable<LeadstreamErrorOptions['details']>,
  advice?: string,
): LeadstreamError {
  return new LeadstreamError(verdict.type, advice === undefined ? message : `${message} (${advice})`, {
    ...(verdict.retryAfterMs === undefined ? {} : { retryAfterMs: verdict.retryAfterMs }),
    details,
  });
}
