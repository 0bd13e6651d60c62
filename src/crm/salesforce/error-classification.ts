import type { ErrorType } from '../../errors/error-types.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import { outboundRefusalIn } from '../../outbound/outbound-refusal.js';
import { classifyFailedAnswer, vendorCodeRules, verdictError } from '../errors/http-status-classification.js';

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

/** "No such column 'AI_Score__c' on sobject of type Lead": INVALID_FIELD names the field only in its text. */
const NO_SUCH_COLUMN = /No such column '([^']+)'/g;

function fieldNames(entry: SalesforceErrorEntry): string[] {
  if (entry.fields.length > 0) return entry.fields;
  return [...entry.message.matchAll(NO_SUCH_COLUMN)].map((m) => m[1] ?? '').filter(Boolean);
}

/**
 * Where Salesforce departs from the shared rule: its error codes mean the same whatever the status
 * (jsforce keeps no status at all). REQUEST_LIMIT_EXCEEDED comes as a 403 and is a rate limit: the
 * concurrent long-request limit frees within seconds; the rolling 24-hour API request limit frees
 * slowly, so probing every few minutes is enough.
 */
export const SALESFORCE_ERROR_RULES = vendorCodeRules(
  {
    crm_rate_limited: ['REQUEST_LIMIT_EXCEEDED'],
    /** Lock contention, maintenance, Salesforce's own failures: a later attempt can get past them. */
    crm_unavailable: [
      'UNABLE_TO_LOCK_ROW',
      'SERVER_UNAVAILABLE',
      'UNKNOWN_EXCEPTION',
      'REQUEST_RUNNING_TOO_LONG',
      'QUERY_TIMEOUT',
    ],
    crm_auth_error: [
      'INVALID_SESSION_ID',
      'INVALID_AUTH_HEADER',
      'API_DISABLED_FOR_ORG',
      'API_CURRENTLY_DISABLED',
      'INSUFFICIENT_ACCESS',
      'INSUFFICIENT_ACCESS_OR_READONLY',
      'INVALID_OPERATION_WITH_EXPIRED_PASSWORD',
    ],
    crm_not_found: ['INVALID_FIELD', 'INVALID_TYPE', 'NOT_FOUND', 'ENTITY_IS_DELETED'],
    /** Values the mapping produced that the field refuses: the tenant's mapping (or data) must change. */
    field_mapping_error: [
      'INVALID_TYPE_ON_FIELD_IN_RECORD',
      'STRING_TOO_LONG',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'REQUIRED_FIELD_MISSING',
      'JSON_PARSER_ERROR',
      'NUMBER_OUTSIDE_VALID_RANGE',
      'INVALID_EMAIL_ADDRESS',
      'FIELD_INTEGRITY_EXCEPTION',
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
    ],
  },
  (answer) => (/concurrent/i.test(answer.message ?? '') ? 5_000 : 5 * 60_000),
);

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
  const verdict = classifyFailedAnswer(
    { status: fault.status, code: first.errorCode, message: first.message },
    SALESFORCE_ERROR_RULES,
  );
  const fields = [...new Set(fault.errors.flatMap(fieldNames))];
  const quoted = fault.errors
    .map((e) => `${e.errorCode}: ${e.message}${e.fields.length > 0 ? ` [${e.fields.join(', ')}]` : ''}`)
    .join('; ');
  const duplicate = first.errorCode === 'DUPLICATES_DETECTED' ? duplicateId(first) : undefined;
  return verdictError(
    verdict,
    `Salesforce refused ${operation}: ${quoted}`,
    {
      operation,
      status: fault.status ?? null,
      error_code: first.errorCode,
      fields: fields.length > 0 ? fields.join(',') : null,
      ...(duplicate === undefined ? {} : { duplicate_id: duplicate }),
    },
    ADVICE[verdict.type],
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
