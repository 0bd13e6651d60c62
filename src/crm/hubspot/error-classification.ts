import { LeadstreamError } from '../../errors/leadstream-error.js';
import { retryAfterMs } from '../../http/retry-after.js';
import { outboundRefusalIn } from '../../outbound/outbound-refusal.js';
import type { Clock } from '../../time/clock.js';
import { msUntilNextUtcMidnight } from '../../time/utc-midnight.js';
import {
  type CrmErrorRules,
  classifyFailedAnswer,
  type FailedAnswer,
  verdictError,
} from '../errors/http-status-classification.js';
import { isNetworkError, transportFailure } from '../transport-failure.js';

/**
 * The shape of the SDK's ApiException. Every generated API module (contacts, deals, owners, ...) has
 * its own ApiException class, so `instanceof` against one of them misses the others.
 */
interface HubSpotApiError {
  code: number;
  body: unknown;
  headers: Record<string, string>;
}

function isHubSpotApiError(error: unknown): error is HubSpotApiError {
  return (
    error instanceof Error &&
    typeof (error as Partial<HubSpotApiError>).code === 'number' &&
    'body' in error &&
    typeof (error as Partial<HubSpotApiError>).headers === 'object'
  );
}

interface ErrorFields {
  message: string;
  category: string | undefined;
  correlationId: string | undefined;
  errors: Array<{ code?: string; message?: string; context?: Record<string, unknown> }>;
}

function fieldsOf(body: unknown): ErrorFields {
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const text = (key: string): string | undefined =>
    typeof record[key] === 'string' ? record[key] : undefined;
  return {
    message: text('message') ?? (typeof body === 'string' ? body.slice(0, 500) : ''),
    category: text('category'),
    correlationId: text('correlationId'),
    errors: Array.isArray(record.errors) ? (record.errors as ErrorFields['errors']) : [],
  };
}

interface PropertyProblem {
  name: string;
  code: string;
  message: string;
}

/**
 * Per-property problems of a VALIDATION_ERROR. HubSpot lists them in `errors[]` on newer answers and,
 * always, as JSON inside the message ("Property values were not valid: [...]"), so both are read.
 */
function propertyProblems(body: unknown): PropertyProblem[] {
  const fields = fieldsOf(body);
  const fromErrors = fields.errors.flatMap((e): PropertyProblem[] => {
    const names = e.context?.propertyName;
    const name = Array.isArray(names) && typeof names[0] === 'string' ? names[0] : undefined;
    return name && e.code ? [{ name, code: e.code, message: e.message ?? '' }] : [];
  });
  if (fromErrors.length > 0) return fromErrors;
  const start = fields.message.indexOf('[');
  if (!fields.message.startsWith('Property values were not valid') || start < 0) return [];
  try {
    const listed: unknown = JSON.parse(fields.message.slice(start));
    if (!Array.isArray(listed)) return [];
    return listed.flatMap((item: Record<string, unknown>): PropertyProblem[] =>
      typeof item.name === 'string' && typeof item.error === 'string'
        ? [{ name: item.name, code: item.error, message: String(item.message ?? '') }]
        : [],
    );
  } catch {
    return [];
  }
}

const EXISTING_ID = /Existing ID: (\d+)/;

/** The id HubSpot named in a 409 "Contact already exists. Existing ID: 123", once classified. */
export function existingIdOf(error: unknown): string | undefined {
  if (!(error instanceof LeadstreamError)) return undefined;
  const id = error.details.existing_id;
  return typeof id === 'string' ? id : undefined;
}

function header(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** A HubSpot error answer as the shared rule and HubSpot's exceptions read it. */
interface HubSpotAnswer extends FailedAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  fields: ErrorFields;
  now: Date;
}

type RatePolicy = 'DAILY' | 'SECONDLY' | 'TEN_SECONDLY_ROLLING';

function policyOf(answer: HubSpotAnswer): RatePolicy {
  const dailyEmpty = header(answer.headers, 'x-hubspot-ratelimit-daily-remaining') === '0';
  if (dailyEmpty || /daily/i.test(answer.fields.message)) return 'DAILY';
  return /secondly limit/i.test(answer.fields.message) ? 'SECONDLY' : 'TEN_SECONDLY_ROLLING';
}

/**
 * The rolling window frees a slot within one interval; the search limit within a second; the daily
 * limit only at the day's reset. HubSpot resets it at midnight in the account's time zone, which we
 * do not know: UTC midnight is a guess, and the runner's own backoff covers a reset that comes later.
 * Daily stays retryable on purpose: the command is valid, it just has to wait, and dead-lettering a
 * day of leads would lose them.
 */
function rateLimitWaitMs(answer: HubSpotAnswer): number {
  const policy = policyOf(answer);
  if (policy === 'DAILY') return msUntilNextUtcMidnight(answer.now);
  if (policy === 'SECONDLY') return 1000;
  const interval = Number(header(answer.headers, 'x-hubspot-ratelimit-interval-milliseconds'));
  return Number.isFinite(interval) && interval > 0 ? interval : 10_000;
}

const missingProperties = (answer: HubSpotAnswer): string[] =>
  propertyProblems(answer.body)
    .filter((p) => p.code === 'PROPERTY_DOESNT_EXIST')
    .map((p) => p.name);

/** Where HubSpot departs from the shared rule: a 400 naming a property the portal lacks. */
export const HUBSPOT_ERROR_RULES: CrmErrorRules<HubSpotAnswer> = {
  exceptions: [
    { status: [400], when: (answer) => missingProperties(answer).length > 0, type: 'crm_not_found' },
  ],
  rateLimitWaitMs,
};

/**
 * Whether a non-HTTP failure came from the network or from an answer that was not HubSpot's JSON
 * (a proxy's HTML error page makes the SDK's deserializer throw before any status is known).
 */
function isTransportFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    isNetworkError(error) ||
    error instanceof SyntaxError ||
    /not supported by ObjectSerializer|No Content-Type defined/.test(error.message)
  );
}

/**
 * Turns whatever an SDK call threw into a classified LeadstreamError. `operation` names the call
 * ("contacts.create") for logs and dead-letter headers. Details never carry the token.
 */
export function classifyHubSpotError(
  error: unknown,
  operation: string,
  clock: Clock,
  objectType?: string,
): LeadstreamError {
  const refused = outboundRefusalIn(error);
  if (refused) return refused;
  if (error instanceof LeadstreamError) return error;
  if (!isHubSpotApiError(error)) {
    if (isTransportFailure(error)) return transportFailure('HubSpot', operation, error);
    return new LeadstreamError('internal_error', `unexpected failure in ${operation}: ${String(error)}`, {
      cause: error,
    });
  }
  const fields = fieldsOf(error.body);
  const status = error.code;
  const details = {
    operation,
    status,
    category: fields.category ?? null,
    correlation_id: fields.correlationId ?? null,
  };
  const now = clock.now();
  const answer: HubSpotAnswer = {
    status,
    retryAfterMs: retryAfterMs(header(error.headers, 'retry-after'), now),
    body: error.body,
    headers: error.headers,
    fields,
    now,
  };
  const verdict = classifyFailedAnswer(answer, HUBSPOT_ERROR_RULES);
  switch (verdict.type) {
    case 'crm_auth_error':
      return verdictError(verdict, `HubSpot refused the token (${status}): ${fields.message}`, details);
    case 'crm_rate_limited': {
      const policy = policyOf(answer);
      return verdictError(verdict, `HubSpot rate limit reached (${policy}): ${fields.message}`, {
        status,
        policy,
        correlation_id: fields.correlationId ?? null,
      });
    }
    case 'crm_unavailable':
      return verdictError(verdict, `HubSpot failed (${status}) in ${operation}: ${fields.message}`, details);
    case 'crm_not_found': {
      const missing = missingProperties(answer);
      if (missing.length === 0) {
        return verdictError(verdict, `HubSpot found nothing for ${operation}: ${fields.message}`, details);
      }
      const plural = missing.length > 1;
      const subject = objectType === undefined ? '' : `${objectType} `;
      return verdictError(
        verdict,
        `HubSpot has no ${subject}propert${plural ? 'ies' : 'y'} ${missing.join(', ')}: create ${plural ? 'them' : 'it'} in HubSpot or fix the tenant's mapping`,
        { ...details, properties: missing.join(',') },
      );
    }
  }
  if (status === 409) {
    const existingId = EXISTING_ID.exec(fields.message)?.[1];
    return verdictError(verdict, `HubSpot refused ${operation} as a conflict: ${fields.message}`, {
      ...details,
      ...(existingId === undefined ? {} : { existing_id: existingId }),
    });
  }
  const problems = propertyProblems(error.body);
  const message =
    problems.length > 0
      ? problems.map((p) => `${p.name}: ${p.message} (${p.code})`).join('; ')
      : fields.message;
  return verdictError(verdict, `HubSpot rejected ${operation} (${status}): ${message}`, details);
}

/**
 * Runs one SDK call with a deadline and classifies its failure. The SDK sets no timeout of its own;
 * a call that times out may still have been applied, which the find-before-create paths absorb.
 */
export async function callHubSpot<T>(
  operation: string,
  call: () => Promise<T>,
  options: { clock: Clock; timeoutMs: number; objectType?: string; gate?: () => Promise<unknown> },
): Promise<T> {
  // Waiting for the tenant's rate limit is not HubSpot being slow: the deadline starts after it.
  await options.gate?.();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new LeadstreamError(
            'crm_unavailable',
            `HubSpot did not answer ${operation} within ${options.timeoutMs} ms`,
            {
              details: { operation, timeout_ms: options.timeoutMs },
            },
          ),
        ),
      options.timeoutMs,
    );
  });
  try {
    return await Promise.race([call(), deadline]);
  } catch (error) {
    throw classifyHubSpotError(error, operation, options.clock, options.objectType);
  } finally {
    clearTimeout(timer);
  }
}
