import type { ErrorType } from '../../errors/error-types.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import { outboundRefusalIn } from '../../outbound/outbound-refusal.js';

import { isNetworkError, transportFailure } from '../transport-failure.js';

/** A matched record of a duplicate rule, as DUPLICATES_DETECTED lists it. */
interface DuplicateMatch {
  matchRecords?: Array<{ record?: { Id?: unknown } }>;
}

/** The duplicate rule's verdict inside DUPLICATES_DETECTED (real answers spell the key `duplicateResut`). */
interface DuplicateResult {
  matchResults?: DuplicateMatch[];
}

/** One entry of Salesforce's REST error array: `[{message, errorCode, fields}]`. */
interface SalesforceErrorEntry {
  errorCode: string;
  message: string;
  fields: string[];
  duplicateResult?: DuplicateResult;
}

/** An error answer: its entries and, when known, its HTTP status. */
export interface SalesforceFault {
  status: number | undefined;
  errors: SalesforceErrorEntry[];
}

/** jsforce's HttpApiError: errorCode is the first entry's, data the entry (or every entry, or the raw text). */
interface JsforceApiError extends Error {
  errorCode: string;
  data: unknown;
}

function isJsforceApiError(error: unknown): error is JsforceApiError {
  return error instanceof Error && typeof (error as Partial<JsforceApiError>).errorCode === 'string';
}

function entryOf(value: unknown): SalesforceErrorEntry | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.errorCode !== 'string') return undefined;
  const duplicate = (record.duplicateResult ?? record.duplicateResut) as DuplicateResult | undefined;
  return {
    errorCode: record.errorCode,
    message: typeof record.message === 'string' ? record.message.slice(0, 500) : '',
    fields: Array.isArray(record.fields) ? record.fields.filter((f) => typeof f === 'string') : [],
    ...(duplicate !== undefined && typeof duplicate === 'object' ? { duplicateResult: duplicate } : {}),
  };
}

/** Reads an error body as Salesforce writes it (an array of entries, or one entry). */
export function faultFromBody(status: number | undefined, body: unknown): SalesforceFault {
  const items = Array.isArray(body) ? body : [body];
  const errors = items.flatMap((item) => entryOf(item) ?? []);
  if (errors.length > 0) return { status, errors };
  const text = typeof body === 'string' ? body.slice(0, 300) : '';
  return { status, errors: [{ errorCode: `ERROR_HTTP_${status ?? 'UNKNOWN'}`, message: text, fields: [] }] };
}

function faultFromJsforce(error: JsforceApiError): SalesforceFault {
  // jsforce keeps no status; a body that was not Salesforce's JSON comes back as ERROR_HTTP_<status>.
  const httpStatus = /^ERROR_HTTP_(\d{3})$/.exec(error.errorCode)?.[1];
  const status = httpStatus === undefined ? undefined : Number(httpStatus);
  const items = Array.isArray(error.data) ? error.data : [error.data];
  const errors = items.flatMap((item) => entryOf(item) ?? []);
  return {
    status,
    errors:
      errors.length > 0
        ? errors
        : [{ errorCode: error.errorCode, message: error.message.slice(0, 300), fields: [] }],
  };
}

/** Codes a later attempt can get past: lock contention, maintenance, Salesforce's own failures. */
const TRANSIENT_CODES = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'UNKNOWN_EXCEPTION',
  'REQUEST_RUNNING_TOO_LONG',
  'QUERY_TIMEOUT',
]);

/** Values the mapping produced that the field refuses: the tenant's mapping (or data) must change. */
const FIELD_VALUE_CODES = new Set([
  'INVALID_TYPE_ON_FIELD_IN_RECORD',
  'STRING_TOO_LONG',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'REQUIRED_FIELD_MISSING',
  'JSON_PARSER_ERROR',
  'NUMBER_OUTSIDE_VALID_RANGE',
  'INVALID_EMAIL_ADDRESS',
  'FIELD_INTEGRITY_EXCEPTION',
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
]);

const AUTH_CODES = new Set([
  'INVALID_SESSION_ID',
  'INVALID_AUTH_HEADER',
  'API_DISABLED_FOR_ORG',
  'API_CURRENTLY_DISABLED',
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INVALID_OPERATION_WITH_EXPIRED_PASSWORD',
]);

const NOT_FOUND_CODES = new Set(['INVALID_FIELD', 'INVALID_TYPE', 'NOT_FOUND', 'ENTITY_IS_DELETED']);

/** "No such column 'AI_Score__c' on sobject of type Lead": INVALID_FIELD names the field only in its text. */
const NO_SUCH_COLUMN = /No such column '([^']+)'/g;

function fieldNames(entry: SalesforceErrorEntry): string[] {
  if (entry.fields.length > 0) return entry.fields;
  return [...entry.message.matchAll(NO_SUCH_COLUMN)].map((m) => m[1] ?? '').filter(Boolean);
}

function typeOf(entry: SalesforceErrorEntry, status: number | undefined): ErrorType {
  const code = entry.errorCode;
  if (code === 'REQUEST_LIMIT_EXCEEDED' || code === 'ERROR_HTTP_429') return 'crm_rate_limited';
  if (TRANSIENT_CODES.has(code) || (status !== undefined && (status >= 500 || status === 408))) {
    return 'crm_unavailable';
  }
  if (AUTH_CODES.has(code) || status === 401) return 'crm_auth_error';
  if (NOT_FOUND_CODES.has(code) || status === 404) return 'crm_not_found';
  if (FIELD_VALUE_CODES.has(code)) return 'field_mapping_error';
  return 'crm_rejected';
}

/**
 * How long REQUEST_LIMIT_EXCEEDED asks to wait: the concurrent long-request limit frees within
 * seconds; the rolling 24-hour API request limit frees slowly, so probing every few minutes is enough.
 */
function rateLimitDelayMs(entry: SalesforceErrorEntry): number {
  return /concurrent/i.test(entry.message) ? 5_000 : 5 * 60_000;
}

const ADVICE: Partial<Record<ErrorType, string>> = {
  crm_not_found: 'create it in Salesforce or fix the tenant mapping',
  field_mapping_error: "fix the tenant's mapping or the field's definition",
};

/** The first id a DUPLICATES_DETECTED answer names, once classified. */
export function duplicateIdOf(error: unknown): string | undefined {
  if (!(error instanceof LeadstreamError)) return undefined;
  const id = error.details.duplicate_id;
  return typeof id === 'string' ? id : undefined;
}

export function isInvalidSession(error: unknown): boolean {
  return error instanceof LeadstreamError && error.details.error_code === 'INVALID_SESSION_ID';
}

function duplicateId(entry: SalesforceErrorEntry): string | undefined {
  for (const match of entry.duplicateResult?.matchResults ?? []) {
    for (const candidate of match.matchRecords ?? []) {
      if (typeof candidate.record?.Id === 'string') return candidate.record.Id;
    }
  }
  return undefined;
}

/** Classifies an error answer; the first entry decides, every entry is quoted. */
export function classifyFault(fault: SalesforceFault, operation: string): LeadstreamError {
  const first = fault.errors[0] ?? { errorCode: 'UNKNOWN', message: '', fields: [] };
  const type = typeOf(first, fault.status);
  const fields = [...new Set(fault.errors.flatMap(fieldNames))];
  const quoted = fault.errors
    .map((e) => `${e.errorCode}: ${e.message}${e.fields.length > 0 ? ` [${e.fields.join(', ')}]` : ''}`)
    .join('; ');
  const advice = ADVICE[type];
  const duplicate = first.errorCode === 'DUPLICATES_DETECTED' ? duplicateId(first) : undefined;
  return new LeadstreamError(
    type,
    `Salesforce refused ${operation}: ${quoted}${advice === undefined ? '' : ` (${advice})`}`,
    {
      ...(type === 'crm_rate_limited' ? { retryAfterMs: rateLimitDelayMs(first) } : {}),
      details: {
        operation,
        status: fault.status ?? null,
        error_code: first.errorCode,
        fields: fields.length > 0 ? fields.join(',') : null,
        ...(duplicate === undefined ? {} : { duplicate_id: duplicate }),
      },
    },
  );
}

function isTransportFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return isNetworkError(error) || error.name === 'TimeoutError' || error.message === 'Request Timeout';
}

/**
 * Turns whatever a jsforce call threw into a classified LeadstreamError. `operation` names the call
 * ("Lead.create") for logs and dead-letter headers. Details never carry the token.
 */
export function classifySalesforceError(error: unknown, operation: string): LeadstreamError {
  const refused = outboundRefusalIn(error);
  if (refused) return refused;
  if (error instanceof LeadstreamError) return error;
  if (isJsforceApiError(error)) return classifyFault(faultFromJsforce(error), operation);
  if (isTransportFailure(error)) return transportFailure('Salesforce', operation, error);
  return new LeadstreamError('internal_error', `unexpected failure in ${operation}: ${String(error)}`, {
    cause: error,
  });
}
