/** One entry of Salesforce's REST error array. */
export interface SalesforceErrorEntry {
  message: string;
  errorCode: string;
  fields?: string[];
  [extra: string]: unknown;
}

/** Thrown by route handlers; the server's error handler writes it as the HTTP answer. */
export class SalesforceHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: SalesforceErrorEntry[] | Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(Array.isArray(body) ? (body[0]?.message ?? '') : String(body.error_description ?? ''));
  }
}

export function restError(
  status: number,
  errorCode: string,
  message: string,
  fields?: string[],
): SalesforceHttpError {
  return new SalesforceHttpError(status, [
    { message, errorCode, ...(fields === undefined ? {} : { fields }) },
  ]);
}

/** Several problems of one record, as a create or update lists them. */
export function fieldErrors(entries: SalesforceErrorEntry[]): SalesforceHttpError {
  return new SalesforceHttpError(400, entries);
}

export const invalidSession = () => restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
export const notFound = () => restError(404, 'NOT_FOUND', 'The requested resource does not exist');
export const requestLimitExceeded = () =>
  restError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');

/** The OAuth endpoint's own shape: `{error, error_description}`. */
export function oauthError(error: string, description: string, status = 400): SalesforceHttpError {
  return new SalesforceHttpError(status, { error, error_description: description });
}

/** What an all-or-none composite answers for the subrequests it rolled back or never ran. */
export const PROCESSING_HALTED: SalesforceErrorEntry = {
  errorCode: 'PROCESSING_HALTED',
  message: 'The transaction was rolled back since another operation in the same transaction failed.',
};
