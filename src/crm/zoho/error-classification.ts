import type { ErrorType } from '../../errors/error-types.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import {
  type CrmErrorRules,
  classifyFailedAnswer,
  classifyTokenRefusal,
  type FailedAnswer,
  vendorCodeRules,
  verdictError,
} from '../errors/http-status-classification.js';
import { nonEmptyText } from '../http-answer.js';

/** One answer of Zoho's: a whole-request error, or one record's result inside `data`. */
export interface ZohoEntry {
  code: string;
  message: string;
  status: string;
  details: Record<string, unknown>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function zohoEntryOf(value: unknown): ZohoEntry | undefined {
  if (!isObject(value) || typeof value.code !== 'string') return undefined;
  return {
    code: value.code,
    message: typeof value.message === 'string' ? value.message.slice(0, 500) : '',
    status: typeof value.status === 'string' ? value.status : '',
    details: isObject(value.details) ? value.details : {},
  };
}

/**
 * Where Zoho departs from the shared rule: its codes, in a whole request's answer or in one record's
 * result inside a 200, mean the same whatever the status. Throttles: the concurrency limit frees
 * within seconds, the daily credit budget slowly.
 */
export const ZOHO_ERROR_RULES = vendorCodeRules(
  {
    crm_rate_limited: ['TOO_MANY_REQUESTS', 'API_LIMIT_EXCEEDED'],
    crm_unavailable: ['INTERNAL_ERROR', 'INTERNAL_SERVER_ERROR', 'LOCKED_RECORD'],
    crm_auth_error: [
      'INVALID_TOKEN',
      'AUTHENTICATION_FAILURE',
      'OAUTH_SCOPE_MISMATCH',
      'NO_PERMISSION',
      'INVALID_OAUTHTOKEN',
    ],
    crm_not_found: ['INVALID_MODULE', 'INVALID_URL_PATTERN', 'NOT_SUPPORTED', 'INVALID_URL'],
    /** The record's values: the tenant's field_mappings (or the data) must change. */
    field_mapping_error: ['INVALID_DATA', 'MANDATORY_NOT_FOUND', 'MULTIPLE_OR_MULTI_ERRORS'],
  },
  (answer) => (answer.code === 'TOO_MANY_REQUESTS' ? 10_000 : 30 * 60_000),
);

/** The field an error is about, and what Zoho says about it. */
function fieldOf(entry: ZohoEntry): { field: string | undefined; hint: string } {
  const field = nonEmptyText(entry.details.api_name);
  const expected = nonEmptyText(entry.details.expected_data_type);
  const duplicate = isObject(entry.details.duplicate_record)
    ? nonEmptyText(entry.details.duplicate_record.id)
    : undefined;
  const hints = [
    expected === undefined ? undefined : `expects ${expected}`,
    duplicate === undefined ? undefined : `record ${duplicate} already has this value`,
  ].filter((hint) => hint !== undefined);
  return { field, hint: hints.length > 0 ? ` (${hints.join('; ')})` : '' };
}

const ADVICE: Partial<Record<ErrorType, string>> = {
  field_mapping_error: "fix the tenant's field_mappings or the field in Zoho",
  crm_not_found: 'check crm_config.module and api_version',
  crm_auth_error: 'check the OAuth client, its scopes (ZohoCRM.modules.ALL) and data_centre',
};

/** Classifies one Zoho error entry (a whole request's, or one record's inside `data`). */
export function classifyZohoEntry(
  operation: string,
  status: number,
  entry: ZohoEntry,
  retryAfterMs: number | undefined,
): LeadstreamError {
  const verdict = classifyFailedAnswer({ status, code: entry.code, retryAfterMs }, ZOHO_ERROR_RULES);
  const { field, hint } = fieldOf(entry);
  return verdictError(
    verdict,
    `Zoho refused ${operation}: ${entry.code}: ${entry.message}${field === undefined ? '' : ` [${field}]`}${hint}`,
    { operation, status, error_code: entry.code, field: field ?? null },
    ADVICE[verdict.type],
  );
}

/** An answer that is neither a record result nor Zoho's error shape (an HTML gateway page, say). */
export function classifyZohoStatus(
  operation: string,
  status: number,
  body: unknown,
  retryAfterMs: number | undefined,
) {
  const entry = zohoEntryOf(body) ?? {
    code: `HTTP_${status}`,
    message: typeof body === 'string' ? body.slice(0, 300) : '',
    status: 'error',
    details: {},
  };
  return classifyZohoEntry(operation, status, entry, retryAfterMs);
}

/**
 * Where Zoho's accounts server departs from the token endpoints' rule: its own throttle answers
 * "Access Denied" or "You have made too many requests continuously" with a 400, and frees within a
 * minute.
 */
export const ZOHO_ACCOUNTS_RULES: CrmErrorRules<FailedAnswer> = {
  exceptions: [
    { codes: new Set(['Access Denied']), type: 'crm_rate_limited' },
    { when: (answer) => /too many requests/i.test(answer.message ?? ''), type: 'crm_rate_limited' },
  ],
  rateLimitWaitMs: () => 60_000,
};

/** The verdict on the accounts server's refusal of a refresh token. */
export const classifyZohoTokenRefusal = (answer: FailedAnswer) =>
  classifyTokenRefusal(answer, ZOHO_ACCOUNTS_RULES);

export const isInvalidToken = (error: unknown) =>
  error instanceof LeadstreamError && error.details.error_code === 'INVALID_TOKEN';
