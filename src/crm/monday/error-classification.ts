import type { ErrorType } from '../../errors/error-types.js';
import type { LeadstreamError } from '../../errors/leadstream-error.js';
import { classifyFailedAnswer, vendorCodeRules, verdictError } from '../errors/http-status-classification.js';
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

/**
 * Where Monday departs from the shared rule: its codes decide whatever the status, as it answers
 * application errors inside HTTP 200. Without a hint, the complexity budget refills each minute and
 * the daily limit at midnight.
 */
export const MONDAY_ERROR_RULES = vendorCodeRules(
  {
    /** Limits that free up by themselves: a later attempt succeeds. */
    crm_rate_limited: [
      'ComplexityException',
      'COMPLEXITY_BUDGET_EXHAUSTED',
      'maxConcurrencyExceeded',
      'RateLimitExceeded',
      'Rate Limit Exceeded',
      'IP_RATE_LIMIT_EXCEEDED',
      'DAILY_LIMIT_EXCEEDED',
    ],
    crm_unavailable: ['INTERNAL_SERVER_ERROR', 'InternalServerError', 'API_TEMPORARILY_BLOCKED'],
    crm_auth_error: [
      'UserUnauthorizedException',
      'USER_UNAUTHORIZED',
      'Unauthorized',
      'UNAUTHENTICATED',
      'missingRequiredPermissions',
      'UserAccessDeniedException',
    ],
    /** The board, group, column or item the configuration names does not exist (or is not visible). */
    crm_not_found: [
      'InvalidBoardIdException',
      'InvalidColumnIdException',
      'InvalidGroupIdException',
      'InvalidItemIdException',
      'ResourceNotFoundException',
    ],
    /** Values the mapping produced that the column refuses. */
    field_mapping_error: ['ColumnValueException', 'ItemNameTooLongException', 'CorrectedValueException'],
  },
  (answer) => (answer.code === 'DAILY_LIMIT_EXCEEDED' ? 60 * 60_000 : 60_000),
);

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
  const verdict = classifyFailedAnswer(
    {
      status,
      code: first.code,
      retryAfterMs: first.retryInSeconds === undefined ? retryAfterHeaderMs : first.retryInSeconds * 1000,
    },
    MONDAY_ERROR_RULES,
  );
  const quoted = (errors.length > 0 ? errors : [first])
    .map((e) => `${e.code}: ${e.message}${e.columnId === undefined ? '' : ` [column ${e.columnId}]`}`)
    .join('; ');
  return verdictError(
    verdict,
    `Monday refused ${operation}: ${quoted}`,
    { operation, status, error_code: first.code, column_id: first.columnId ?? null },
    ADVICE[verdict.type],
  );
}
