import type { ErrorType } from '../../errors/error-types.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
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

/** Throttles: the concurrency limit frees within seconds, the daily credit budget slowly. */
const RATE_CODES = new Set(['TOO_MANY_REQUESTS', 'API_LIMIT_EXCEEDED']);
const AUTH_CODES = new Set([
  'INVALID_TOKEN',
  'AUTHENTICATION_FAILURE',
  'OAUTH_SCOPE_MISMATCH',
  'NO_PERMISSION',
  'INVALID_OAUTHTOKEN',
]);
const NOT_FOUND_CODES = new Set(['INVALID_MODULE', 'INVALID_URL_PATTERN', 'NOT_SUPPORTED', 'INVALID_URL']);
/** The record's values: the tenant's field_mappings (or the data) must change. */
const VALUE_CODES = new Set([
  'INVALID_DATA',
  'MANDATORY_NOT_FOUND',
  'DUPLICATE_DATA',
  'MULTIPLE_OR_MULTI_ERRORS',
]);
const TRANSIENT_CODES = new Set(['INTERNAL_ERROR', 'INTERNAL_SERVER_ERROR', 'LOCKED_RECORD']);

function typeOf(entry: ZohoEntry, status: number): ErrorType {
  if (RATE_CODES.has(entry.code) || status === 429) return 'crm_rate_limited';
  if (TRANSIENT_CODES.has(entry.code) || status >= 500 || status === 408) return 'crm_unavailable';
  if (AUTH_CODES.has(entry.code) || status === 401) return 'crm_auth_error';
  if (NOT_FOUND_CODES.has(entry.code) || status === 404) return 'crm_not_found';
  if (entry.code === 'DUPLICATE_DATA') return 'crm_rejected';
  if (VALUE_CODES.has(entry.code)) return 'field_mapping_error';
  return 'crm_rejected';
}

function rateDelayMs(entry: ZohoEntry, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  return entry.code === 'TOO_MANY_REQUESTS' ? 10_000 : 30 * 60_000;
}

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
  const type = typeOf(entry, status);
  const { field, hint } = fieldOf(entry);
  const advice = ADVICE[type];
  return new LeadstreamError(
    type,
    `Zoho refused ${operation}: ${entry.code}: ${entry.message}${field === undefined ? '' : ` [${field}]`}${hint}${
      advice === undefined ? '' : ` (${advice})`
    }`,
    {
      ...(type === 'crm_rate_limited' ? { retryAfterMs: rateDelayMs(entry, retryAfterMs) } : {}),
      ...(type === 'crm_unavailable' && retryAfterMs !== undefined ? { retryAfterMs } : {}),
      details: { operation, status, error_code: entry.code, field: field ?? null },
    },
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

export const isInvalidToken = (error: unknown) =>
  error instanceof LeadstreamError && error.details.error_code === 'INVALID_TOKEN';
