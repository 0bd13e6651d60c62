import { randomUUID } from 'node:crypto';

/** The error envelope of HubSpot's v3 APIs, keys in the order the real API writes them. */
export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  errors?: Array<{ message: string; code: string; context?: Record<string, string[]> }>;
  context?: Record<string, string[]>;
  category?: string;
  [extra: string]: unknown;
}

/** Thrown by route handlers; the server's error handler writes it as the HTTP answer. */
export class HubSpotHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: HubSpotErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

export function errorBody(
  message: string,
  category: string | undefined,
  extra: Partial<HubSpotErrorBody> = {},
): HubSpotErrorBody {
  return {
    status: 'error',
    message,
    correlationId: randomUUID(),
    ...extra,
    ...(category === undefined ? {} : { category }),
  };
}

export const AUTH_NOT_FOUND_MESSAGE =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

export function unauthenticated(): HubSpotHttpError {
  return new HubSpotHttpError(401, errorBody(AUTH_NOT_FOUND_MESSAGE, 'INVALID_AUTHENTICATION'));
}

export function expiredToken(secondsAgo: number): HubSpotHttpError {
  return new HubSpotHttpError(
    401,
    errorBody(
      `The OAuth token used to make this call expired ${secondsAgo} second(s) ago.`,
      'EXPIRED_AUTHENTICATION',
    ),
  );
}

export function notFound(): HubSpotHttpError {
  return new HubSpotHttpError(404, errorBody('resource not found', undefined));
}

export function invalidInput(message: string): HubSpotHttpError {
  return new HubSpotHttpError(400, errorBody(`Invalid input JSON: ${message}`, 'VALIDATION_ERROR'));
}

export function validationError(message: string): HubSpotHttpError {
  return new HubSpotHttpError(400, errorBody(message, 'VALIDATION_ERROR'));
}

export function conflict(message: string, category = 'CONFLICT'): HubSpotHttpError {
  return new HubSpotHttpError(409, errorBody(message, category));
}

/** One rejected property value, as HubSpot lists it inside "Property values were not valid". */
export interface PropertyValueError {
  name: string;
  error: string;
  message: string;
  propertyValue?: string;
}

export function propertyValuesNotValid(problems: PropertyValueError[], portalId: number): HubSpotHttpError {
  const listed = problems.map((p) => ({
    isValid: false,
    message: p.message,
    error: p.error,
    name: p.name,
    localizedErrorMessage: p.message,
    ...(p.propertyValue === undefined ? {} : { propertyValue: p.propertyValue }),
    portalId,
  }));
  return new HubSpotHttpError(
    400,
    errorBody(`Property values were not valid: ${JSON.stringify(listed)}`, 'VALIDATION_ERROR', {
      errors: problems.map((p) => ({
        message: p.message,
        code: p.error,
        context: { propertyName: [p.name] },
      })),
    }),
  );
}
