import { LeadstreamError } from '../../errors/leadstream-error.js';
import { retryAfterMs } from '../../http/retry-after.js';
import { outboundRefusalIn } from '../../outbound/outbound-refusal.js';
import type { Clock } from '../../time/clock.js';

/** What an HTTP failure of the SDK carries once its axios instance keeps error answers (see client-factory). */
interface HttpFailure {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The parts of an AxiosError we read; duck-typed so that no second copy of axios is needed. */
interface AxiosLikeError {
  isAxiosError: true;
  code?: string;
  message: string;
  response?: { status: number; headers: unknown; data: unknown };
}

function isAxiosLikeError(error: unknown): error is AxiosLikeError {
  return error instanceof Error && (error as Partial<AxiosLikeError>).isAxiosError === true;
}

function plainHeaders(headers: unknown): Record<string, string> {
  if (headers === null || typeof headers !== 'object') return {};
  const source =
    typeof (headers as { toJSON?: unknown }).toJSON === 'function'
      ? (headers as { toJSON: () => Record<string, unknown> }).toJSON()
      : (headers as Record<string, unknown>);
  return Object.fromEntries(
    Object.entries(source).flatMap(([name, value]) =>
      value === undefined || value === null ? [] : [[name.toLowerCase(), String(value)]],
    ),
  );
}

function httpFailureOf(error: unknown): HttpFailure | undefined {
  if (!isAxiosLikeError(error) || error.response === undefined) return undefined;
  return {
    status: error.response.status,
    headers: plainHeaders(error.response.headers),
    body: error.response.data,
  };
}

/** Pipedrive's error envelope: `{success: false, error, error_info}` (v1 and the gateway), `code` (v2). */
function errorMessageOf(body: unknown): { message: string; code: string | undefined } {
  if (typeof body === 'string') return { message: body.slice(0, 500), code: undefined };
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const message = typeof record.error === 'string' ? record.error : '';
  const code = typeof record.code === 'string' ? record.code : undefined;
  return { message, code };
}

const BURST_WINDOW_MS = 2_000;
/** A reset further away than this cannot be a 2-second burst window: it is the daily budget. */
const LONGEST_BURST_RESET_MS = 60_000;

function msUntilNextUtcMidnight(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime();
}

function seconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  return Number(value) * 1000;
}

/**
 * A 429 is either the 2-second burst window (wait a couple of seconds) or the company's daily token
 * budget (wait until it resets, at the start of the day). `x-ratelimit-reset` says how long until the
 * limit that was hit resets; a daily exhaustion also empties `x-daily-requests-left` where sent, and
 * names the budget in its message. Daily stays retryable: the command is valid and must wait; the
 * runner dead-letters it as retryable when the wait is longer than it holds a partition.
 */
function rateLimited(
  failure: HttpFailure,
  message: string,
  operation: string,
  clock: Clock,
): LeadstreamError {
  const now = clock.now();
  const resetMs = seconds(failure.headers['x-ratelimit-reset']);
  const retryAfter = retryAfterMs(failure.headers['retry-after'], now);
  const daily =
    /daily|budget/i.test(message) ||
    failure.headers['x-daily-requests-left'] === '0' ||
    (resetMs !== undefined && resetMs > LONGEST_BURST_RESET_MS);
  const wait = daily
    ? (retryAfter ?? resetMs ?? msUntilNextUtcMidnight(now))
    : Math.max(retryAfter ?? resetMs ?? BURST_WINDOW_MS, 1_000);
  const limit = daily ? 'daily_budget' : 'burst';
  return new LeadstreamError(
    'crm_rate_limited',
    `Pipedrive rate limit reached (${daily ? 'daily token budget' : '2-second burst window'}) in ${operation}: ${message}`,
    {
      retryAfterMs: Math.ceil(wait),
      details: {
        operation,
        status: failure.status,
        limit,
        ratelimit_limit: failure.headers['x-ratelimit-limit'] ?? null,
        ratelimit_remaining: failure.headers['x-ratelimit-remaining'] ?? null,
      },
    },
  );
}

/**
 * Turns whatever an SDK call threw into a classified LeadstreamError. `operation` names the call
 * ("persons.add") for logs and dead-letter headers. Details never carry the token: the SDK sends it as
 * a header, and neither headers of the request nor its URL are copied here.
 */
export function classifyPipedriveError(error: unknown, operation: string, clock: Clock): LeadstreamError {
  const refused = outboundRefusalIn(error);
  if (refused) return refused;
  if (error instanceof LeadstreamError) return error;
  const failure = httpFailureOf(error);
  if (failure === undefined) {
    if (isAxiosLikeError(error)) {
      // No answer at all: refused, reset, DNS, or our own deadline (ECONNABORTED / ETIMEDOUT). The
      // AxiosError is not kept as the cause: its config carries the x-api-token header.
      return new LeadstreamError(
        'crm_unavailable',
        `Pipedrive could not be reached (${operation}): ${error.code ?? 'network error'} ${error.message}`,
        { details: { operation, code: error.code ?? null } },
      );
    }
    return new LeadstreamError('internal_error', `unexpected failure in ${operation}: ${String(error)}`, {
      cause: error,
    });
  }
  const { message, code } = errorMessageOf(failure.body);
  const status = failure.status;
  const details = { operation, status, code: code ?? null };
  if (status === 401 || status === 403) {
    return new LeadstreamError(
      'crm_auth_error',
      `Pipedrive refused the API token (${status}) in ${operation}: ${message}`,
      { details },
    );
  }
  if (status === 429) return rateLimited(failure, message, operation, clock);
  if (status >= 500 || status === 408) {
    return new LeadstreamError(
      'crm_unavailable',
      `Pipedrive failed (${status}) in ${operation}: ${message}`,
      {
        details,
      },
    );
  }
  if (status === 404 || status === 410) {
    return new LeadstreamError('crm_not_found', `Pipedrive found nothing for ${operation}: ${message}`, {
      details,
    });
  }
  return new LeadstreamError('crm_rejected', `Pipedrive rejected ${operation} (${status}): ${message}`, {
    details,
  });
}

/**
 * Runs one SDK call after the tenant's rate gate and classifies its failure. The deadline of a call is
 * the axios timeout set by the client factory; a call that timed out may still have been applied,
 * which the find-before-create paths absorb.
 */
export async function callPipedrive<T>(
  operation: string,
  call: () => Promise<T>,
  options: { clock: Clock; gate?: () => Promise<unknown> },
): Promise<T> {
  await options.gate?.();
  try {
    return await call();
  } catch (error) {
    throw classifyPipedriveError(error, operation, options.clock);
  }
}
