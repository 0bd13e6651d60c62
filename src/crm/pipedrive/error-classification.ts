import type { ErrorType } from '../../errors/error-types.js';
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

/** A Pipedrive error answer as the shared rule and Pipedrive's rate-limit window read it. */
interface PipedriveAnswer extends FailedAnswer {
  status: number;
  headers: Record<string, string>;
  message: string;
  now: Date;
}

/** `x-ratelimit-reset`: seconds until the limit that was hit resets. */
const resetMs = (answer: PipedriveAnswer) => retryAfterMs(answer.headers['x-ratelimit-reset'], answer.now);

/**
 * A 429 is either the 2-second burst window or the company's daily token budget, which resets at the
 * start of the day. A daily exhaustion empties `x-daily-requests-left` where sent, names the budget
 * in its message, or resets further away than a burst window can.
 */
function isDailyBudget(answer: PipedriveAnswer): boolean {
  const reset = resetMs(answer);
  return (
    /daily|budget/i.test(answer.message) ||
    answer.headers['x-daily-requests-left'] === '0' ||
    (reset !== undefined && reset > LONGEST_BURST_RESET_MS)
  );
}

/**
 * Pipedrive keeps the shared rule; what it adds is how long a 429 without Retry-After lasts. Daily
 * stays retryable: the command is valid and must wait; the runner dead-letters it as retryable when
 * the wait is longer than it holds a partition.
 */
export const PIPEDRIVE_ERROR_RULES: CrmErrorRules<PipedriveAnswer> = {
  exceptions: [],
  rateLimitWaitMs: (answer) =>
    isDailyBudget(answer)
      ? (resetMs(answer) ?? msUntilNextUtcMidnight(answer.now))
      : Math.max(resetMs(answer) ?? BURST_WINDOW_MS, 1_000),
};

function whatHappened(type: ErrorType, status: number, operation: string): string {
  if (type === 'crm_auth_error') return `refused the API token (${status}) in ${operation}`;
  if (type === 'crm_unavailable') return `failed (${status}) in ${operation}`;
  if (type === 'crm_not_found') return `found nothing for ${operation}`;
  return `rejected ${operation} (${status})`;
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
  const now = clock.now();
  const answer: PipedriveAnswer = {
    status,
    code,
    retryAfterMs: retryAfterMs(failure.headers['retry-after'], now),
    headers: failure.headers,
    message,
    now,
  };
  const verdict = classifyFailedAnswer(answer, PIPEDRIVE_ERROR_RULES);
  if (verdict.type === 'crm_rate_limited') {
    const daily = isDailyBudget(answer);
    return verdictError(
      verdict,
      `Pipedrive rate limit reached (${daily ? 'daily token budget' : '2-second burst window'}) in ${operation}: ${message}`,
      {
        operation,
        status,
        limit: daily ? 'daily_budget' : 'burst',
        ratelimit_limit: failure.headers['x-ratelimit-limit'] ?? null,
        ratelimit_remaining: failure.headers['x-ratelimit-remaining'] ?? null,
      },
    );
  }
  return verdictError(verdict, `Pipedrive ${whatHappened(verdict.type, status, operation)}: ${message}`, {
    operation,
    status,
    code: code ?? null,
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
