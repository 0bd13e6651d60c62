/** Zoho's error shape, for a whole request or one record inside `data`. */
export interface ZohoErrorBody {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: 'error';
}

export const zohoError = (
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): ZohoErrorBody => ({
  code,
  details,
  message,
  status: 'error',
});

/** Thrown by handlers; the server writes it as the HTTP answer. */
export class ZohoHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: ZohoErrorBody,
  ) {
    super(body.message);
  }
}

export const invalidToken = () => new ZohoHttpError(401, zohoError('INVALID_TOKEN', 'invalid oauth token'));
export const authenticationFailure = () =>
  new ZohoHttpError(401, zohoError('AUTHENTICATION_FAILURE', 'Authentication failed'));
