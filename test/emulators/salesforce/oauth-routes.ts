import { createPublicKey, type KeyObject, randomBytes, X509Certificate } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { oauthError, SalesforceHttpError } from './salesforce-errors.js';

/** A connected app with "Use digital signatures": its consumer key, certificate and pre-authorized users. */
export interface ConnectedApp {
  consumerKey: string;
  /** The uploaded certificate (PEM), or the public key itself. */
  certificate: string | KeyObject;
  usernames: string[];
}

export interface IssuedToken {
  username: string;
  consumerKey: string;
  expired: boolean;
}

export interface OAuthContext {
  url: () => string;
  apps: ConnectedApp[];
  /** Accepted `aud` values. */
  audiences: () => string[];
  tokens: Map<string, IssuedToken>;
  orgId: string;
  userId: string;
  now: () => number;
  /** Faults the next token requests answer with, oldest first. */
  tokenFaults: TokenFault[];
  tokenRequests: { count: number };
}

/** A failure the token endpoint answers with instead of a token. */
export interface TokenFault {
  status: number;
  retryAfter?: string;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Salesforce wants exp within three minutes; a little skew is tolerated. */
const MAX_LIFETIME_SECONDS = 3 * 60 + 10;

function publicKeyOf(app: ConnectedApp): KeyObject {
  if (typeof app.certificate !== 'string') return app.certificate;
  return app.certificate.includes('BEGIN CERTIFICATE')
    ? new X509Certificate(app.certificate).publicKey
    : createPublicKey(app.certificate);
}

/** POST /services/oauth2/token for the JWT bearer grant, verifying the assertion as Salesforce does. */
export function registerOAuthRoutes(app: FastifyInstance, ctx: OAuthContext): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );

  app.post('/services/oauth2/token', async (request, reply) => {
    ctx.tokenRequests.count += 1;
    const fault = ctx.tokenFaults.shift();
    if (fault !== undefined) {
      throw new SalesforceHttpError(
        fault.status,
        { error: 'server_error', error_description: 'internal server error' },
        fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter },
      );
    }
    const form = (request.body ?? {}) as Record<string, string>;
    if (form.grant_type !== JWT_BEARER)
      throw oauthError('unsupported_grant_type', 'grant type not supported');
    const assertion = form.assertion;
    if (typeof assertion !== 'string' || assertion === '')
      throw oauthError('invalid_grant', 'invalid assertion');

    let claims: ReturnType<typeof decodeJwt>;
    try {
      if (decodeProtectedHeader(assertion).alg !== 'RS256') throw new Error('alg');
      claims = decodeJwt(assertion);
    } catch {
      throw oauthError('invalid_grant', 'invalid assertion');
    }
    const connected = ctx.apps.find((a) => a.consumerKey === claims.iss);
    if (!connected) throw oauthError('invalid_client_id', 'client identifier invalid');
    try {
      await jwtVerify(assertion, publicKeyOf(connected), {
        algorithms: ['RS256'],
        audience: ctx.audiences(),
        requiredClaims: ['exp', 'sub'],
        currentDate: new Date(ctx.now()),
      });
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired)
        throw oauthError('invalid_grant', 'expired authorization code');
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud') {
        throw oauthError('invalid_grant', 'audience is invalid');
      }
      throw oauthError('invalid_grant', 'invalid assertion');
    }
    if ((claims.exp ?? 0) > ctx.now() / 1000 + MAX_LIFETIME_SECONDS)
      throw oauthError('invalid_grant', 'invalid assertion');
    const username = String(claims.sub);
    if (!connected.usernames.includes(username))
      throw oauthError('invalid_grant', "user hasn't approved this consumer");

    const accessToken = `${ctx.orgId.slice(0, 15)}!${randomBytes(48).toString('base64url')}`;
    ctx.tokens.set(accessToken, { username, consumerKey: connected.consumerKey, expired: false });
    const issuedAt = String(ctx.now());
    return reply.send({
      access_token: accessToken,
      scope: 'api',
      instance_url: ctx.url(),
      id: `${ctx.url()}/id/${ctx.orgId}/${ctx.userId}`,
      token_type: 'Bearer',
      issued_at: issuedAt,
      signature: randomBytes(32).toString('base64'),
    });
  });
}
