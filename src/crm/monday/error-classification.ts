import type { ErrorType } from '../../errors/error-types.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import { nonEmptyText } from '../http-answer.js';

/** One error of an answer, whichever of Monday's two shapes it came in. */
export interface MondayErrorEntry {
  code: string;
  message: string;
  /** Seconds Monday asked to wait (`retry_in_seconds`, or "reset in N seconds" in the text). */
  retryInSeconds: number | undefined;
  /** The column an error names in `error_data`, when it names one. */
  columnId: string | undefined;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object';
const seconds = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;

/** "Complexity budget exhausted, query cost 30001 budget remaining 19986 out of 1000000 reset in 3 seconds" */
const RESET_IN = /reset in (\d+) seconds?/i;

function entryFrom(code: string, message: string, data: Json, retry: unknown): MondayErrorEntry {
  return {
    code,
    message: message.slice(0, 500),
    retryInSeconds:
      seconds(retry) ?? seconds(data.retry_in_seconds) ?? seconds(Number(RESET_IN.exec(message)?.[1])),
    columnId: nonEmptyText(data.column_id),
  };
}

/**
 * The errors of a Monday answer. Current versions answer `{errors: [{message, extensions: {code,
 * status_code, error_data, retry_in_seconds}}]}`; the complexity and authentication failures still
 * come as `{error_code, error_message, status_code, error_data}`. Empty when the answer has none.
 */
export function mondayErrorsOf(body: unknown): MondayErrorEntry[] {
  if (!isObject(body)) return [];
  const entries: MondayErrorEntry[] = [];
  if (Array.isArray(body.errors)) {
    for (const error of body.errors) {
      if (!isObject(error)) continue;
      const extensions = isObject(error.extensions) ? error.extensions : {};
      const data = isObject(extensions.error_data) ? extensions.error_data : {};
      entries.push(
        entryFrom(
          nonEmptyText(extensions.code) ?? 'GraphQLError',
          nonEmptyText(error.message) ?? '',
          data,
          extensions.retry_in_seconds,
        ),
      );
    }
  }
  const legacyCode = nonEmptyText(body.error_code);
  const legacyMessage = nonEmptyText(body.error_message);
  if (entries.length === 0 && (legacyCode !== undefined || legacyMessage !== undefined)) {
    const data = isObject(body.error_data) ? body.error_data : {};
    entries.push(entryFrom(legacyCode ?? 'Error', legacyMessage ?? '', data, undefined));
  }
  return entries;
}

/** Limits that free up by themselves: a later attempt succeeds. */
const RATE_CODES = new Set([
  'ComplexityException',
  'COMPLEXITY_BUDGET_EXHAUSTED',
  'maxConcurrencyExceeded',
  'RateLimitExceeded',
  'Rate Limit Exceeded',
  'IP_RATE_LIMIT_EXCEEDED',
  'DAILY_LIMIT_EXCEEDED',
]);
const TRANSIENT_CODES = new Set(['INTERNAL_SERVER_ERROR', 'InternalServerError', 'API_TEMPORARILY_BLOCKED']);
const AUTH_CODES = new Set([
  'UserUnauthorizedException',
  'USER_UNAUTHORIZED',
  'Unauthorized',
  'UNAUTHENTICATED',
  'missingRequiredPermissions',
  'UserAccessDeniedException',
]);
/** The board, group, column or item the configuration names does not exist (or is not visible). */
const NOT_FOUND_CODES = new Set([
  'InvalidBoardIdException',
  'InvalidColumnIdException',
  'InvalidGroupIdException',
  'InvalidItemIdException',
  'ResourceNotFoundException',
]);
/** Values the mapping produced that the column refuses. */
const VALUE_CODES = new Set(['ColumnValueException', 'ItemNameTooLongException', 'CorrectedValueException']);

function typeOf(entry: MondayErrorEntry, status: number): ErrorType {
  if (RATE_CODES.has(entry.code) || status === 429) return 'crm_rate_limited';
  if (TRANSIENT_CODES.has(entry.code) || status >= 500 || status === 408) return 'crm_unavailable';
  if (AUTH_CODES.has(entry.code) || status === 401 || status === 403) return 'crm_auth_error';
  if (NOT_FOUND_CODES.has(entry.code) || status === 404) return 'crm_not_found';
  if (VALUE_CODES.has(entry.code)) return 'field_mapping_error';
  return 'crm_rejected';
}

/** Without a hint: the complexity budget refills each minute, the daily limit at midnight. */
function defaultDelayMs(entry: MondayErrorEntry): number {
  return entry.code === 'DAILY_LIMIT_EXCEEDED' ? 60 * 60_000 : 60_000;
}

const ADVICE: Partial<Record<ErrorType, string>> = {
  crm_not_found: 'check crm_config.board_id, group_id and the column titles against the board',
  field_mapping_error: "fix the tenant's column_mappings or the column's settings",
  crm_auth_error: 'check crm_config.api_token and that its user may use the board',
};

/**
 * Classifies a failed answer: any `errors` in the body (Monday answers application errors with HTTP
 * 200), else the HTTP status. The first error decides; every error is quoted.
 */
export function classifyMondayFailure(
  operation: string,
  status: number,
  body: unknown,
  retryAfterHeaderMs: number | undefined,
): LeadstreamError {
  const errors = mondayErrorsOf(body);
  const first = errors[0] ?? {
    code: `HTTP_${status}`,
    message: typeof body === 'string' ? body.slice(0, 300) : '',
    retryInSeconds: undefined,
    columnId: undefined,
  };
  const type = typeOf(first, status);
  const quoted = (errors.length > 0 ? errors : [first])
    .map((e) => `${e.code}: ${e.message}${e.columnId === undefined ? '' : ` [column ${e.columnId}]`}`)
    .join('; ');
  const advice = ADVICE[type];
  const hinted = first.retryInSeconds === undefined ? retryAfterHeaderMs : first.retryInSeconds * 1000;
  return new LeadstreamError(
    type,
    `Monday refused ${operation}: ${quoted}${advice === undefined ? '' : ` (${advice})`}`,
    {
      ...(type === 'crm_rate_limited' ? { retryAfterMs: hinted ?? defaultDelayMs(first) } : {}),
      ...(type === 'crm_unavailable' && hinted !== undefined ? { retryAfterMs: hinted } : {}),
      details: {
        operation,
        status,
        error_code: first.code,
        column_id: first.columnId ?? null,
      },
    },
  );
}
