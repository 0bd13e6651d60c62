/** Thrown by route handlers; the server's error handler writes it as the HTTP answer. */
export class PipedriveHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: Record<string, unknown> | string,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : String(body.error ?? ''));
  }
}

const ERROR_INFO = 'Please check developers.pipedrive.com for more information about Pipedrive API.';

/** The gateway's envelope (authentication, rate limits, v1): `{success, error, errorCode, error_info}`. */
export function gatewayError(status: number, error: string, headers: Record<string, string> = {}) {
  return new PipedriveHttpError(
    status,
    { success: false, error, errorCode: status, error_info: ERROR_INFO, data: null, additional_data: null },
    headers,
  );
}

/** API v2's envelope: `{success, error, code}`. */
export function v2Error(status: number, code: string, error: string): PipedriveHttpError {
  return new PipedriveHttpError(status, { success: false, error, code });
}

/** v2 request validation: every problem of the body, `path: message`, joined by "; ". */
export function validationFailed(problems: string[]): PipedriveHttpError {
  return v2Error(400, 'ERR_SCHEMA_VALIDATION_FAILED', `Validation failed: ${problems.join('; ')}`);
}

export const unauthorized = () => gatewayError(401, 'unauthorized access');

export const notFound = (what: string) => v2Error(404, 'ERR_NOT_FOUND', `${what} not found`);
