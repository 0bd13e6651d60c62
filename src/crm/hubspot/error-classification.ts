import { LeadstreamError } from '../../errors/leadstream-error.js';
import { retryAfterMs } from '../../http/retry-after.js';
import { outboundRefusalIn } from '../../outbound/outbound-refusal.js';
import type { Clock } from '../../time/clock.js';
import { isNetworkError } from '../transport-failure.js';

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

function msUntilNextUtcMidnight(now: Date): number {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return midnight - now.getTime();
}

function rateLimited(error: HubSpotApiError, fields: ErrorFields, clock: Clock): LeadstreamError {
  const now = clock.now();
  const daily =
    /daily/i.test(fields.message) || header(error.headers, 'x-hubspot-ratelimit-daily-remaining') === '0';
  const secondly = /secondly limit/i.test(fields.message);
  const policy = daily ? 'DAILY' : secondly ? 'SECONDLY' : 'TEN_SECONDLY_ROLLING';
  const interval = Number(header(error.headers, 'x-hubspot-ratelimit-interval-milliseconds'));
  // Retry-After wins when sent. Otherwise: the rolling window frees a slot within one interval; the
  // search limit within a second; the daily limit only at the day's reset. HubSpot resets it at midnight
  // in the account's time zone, which we do not know: UTC midnight is a guess, and the runner's own
  // backoff covers a reset that comes later. Daily stays retryable on purpose: the command is valid,
  // it just has to wait, and dead-lettering a day of leads would lose them.
  const delay =
    retryAfterMs(header(error.headers, 'retry-after'), now) ??
    (daily
      ? msUntilNextUtcMidnight(now)
      : secondly
        ? 1000
        : Number.isFinite(interval) && interval > 0
          ? interval
          : 10_000);
  return new LeadstreamError(
    'crm_rate_limited',
    `HubSpot rate limit reached (${policy}): ${fields.message}`,
    {
      retryAfterMs: delay,
      details: {
        status: error.code,
        policy,
        correlation_id: fields.correlationId ?? null,
      },
    },
  );
}

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
    if (isTransportFailure(error)) {
      const message = error instanceof Error ? error.message : String(error);
      return new LeadstreamError(
        'crm_unavailable',
        `HubSpot could not be reached (${operation}): ${message}`,
        {
          details: { operation },
          cause: error,
        },
      );
    }
    return new LeadstreamError('internal_error', `unexpected failure in ${operation}: ${String(error)}`, {
      cause: error,
    });
  }
  const fields = fieldsOf(error.body);
  const details = {
    operation,
    status: error.code,
    category: fields.category ?? null,
    correlation_id: fields.correlationId ?? null,
  };
  const status = error.code;
  if (status === 401 || status === 403) {
    return new LeadstreamError('crm_auth_error', `HubSpot refused the token (${status}): ${fields.message}`, {
      details,
    });
  }
  if (status === 429) return rateLimited(error, fields, clock);
  if (status >= 500 || status === 408 || status === 423) {
    return new LeadstreamError(
      'crm_unavailable',
      `HubSpot failed (${status}) in ${operation}: ${fields.message}`,
      {
        details,
      },
    );
  }
  const missing = propertyProblems(error.body).filter((p) => p.code === 'PROPERTY_DOESNT_EXIST');
  if (status === 400 && missing.length > 0) {
    const names = missing.map((p) => p.name);
    const plural = names.length > 1;
    const subject = objectType === undefined ? '' : `${objectType} `;
    return new LeadstreamError(
      'crm_not_found',
      `HubSpot has no ${subject}propert${plural ? 'ies' : 'y'} ${names.join(', ')}: create ${plural ? 'them' : 'it'} in HubSpot or fix the tenant's mapping`,
      { details: { ...details, properties: names.join(',') } },
    );
  }
  if (status === 404) {
    return new LeadstreamError('crm_not_found', `HubSpot found nothing for ${operation}: ${fields.message}`, {
      details,
    });
  }
  if (status === 409) {
    const existingId = EXISTING_ID.exec(fields.message)?.[1];
    return new LeadstreamError(
      'crm_rejected',
      `HubSpot refused ${operation} as a conflict: ${fields.message}`,
      {
        details: existingId === undefined ? details : { ...details, existing_id: existingId },
      },
    );
  }
  const problems = propertyProblems(error.body);
  const message =
    problems.length > 0
      ? problems.map((p) => `${p.name}: ${p.message} (${p.code})`).join('; ')
      : fields.message;
  return new LeadstreamError('crm_rejected', `HubSpot rejected ${operation} (${status}): ${message}`, {
    details,
  });
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
