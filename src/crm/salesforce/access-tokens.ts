import { LeadstreamError } from '../../errors/leadstream-error.js';
import { retryAfterMs } from '../../http/retry-after.js';
import { transportReason } from '../../http/transport-reason.js';
import type { OutboundGuard } from '../../outbound/outbound-guard.js';
import { outboundRefusalIn } from '../../outbound/outbound-refusal.js';
import type { Clock } from '../../time/clock.js';
import { classifyTokenRefusal, verdictError } from '../errors/http-status-classification.js';
import { answerObject, nonEmptyText } from '../http-answer.js';
import { TokenCache } from '../kernel/token-cache.js';
import { privateKeyFrom, salesforceAudience, signJwtAssertion } from './jwt-assertion.js';

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** What the JWT bearer flow needs, resolved from the tenant's secret references. */
export interface SalesforceCredentials {
  loginUrl: string;
  consumerKey: string;
  username: string;
  privateKeyPem: string;
  /** What the login and instance URLs may be reached at. */
  outbound: OutboundGuard;
}

export interface AccessToken {
  accessToken: string;
  /** The org's URL as the token answer gives it. */
  instanceUrl: string;
}

function tokenEndpoint(loginUrl: string): string {
  return `${loginUrl.replace(/\/+$/, '')}/services/oauth2/token`;
}

/**
 * Access tokens per tenant from the OAuth 2.0 JWT bearer flow. Salesforce gives no expiry and no
 * refresh token with it: a token is kept until Salesforce rejects it (invalidate()), then a new
 * assertion is signed. Concurrent deliveries of one tenant share one token request.
 */
export class SalesforceAccessTokens extends TokenCache<SalesforceCredentials, AccessToken> {
  private readonly clock: Clock;
  private readonly timeoutMs: number;

  constructor(options: { clock: Clock; timeoutMs: number }) {
    super();
    this.clock = options.clock;
    this.timeoutMs = options.timeoutMs;
  }

  protected dependsOn({ loginUrl, consumerKey, username, privateKeyPem }: SalesforceCredentials) {
    return [loginUrl, consumerKey, username, privateKeyPem];
  }

  protected accessTokenOf(token: AccessToken): string {
    return token.accessToken;
  }

  protected async request(credentials: SalesforceCredentials): Promise<AccessToken> {
    const key = privateKeyFrom(credentials.privateKeyPem);
    const assertion = await signJwtAssertion(
      {
        consumerKey: credentials.consumerKey,
        username: credentials.username,
        audience: salesforceAudience(credentials.loginUrl),
      },
      key,
      this.clock.now(),
    );
    let response: Response;
    try {
      response = await credentials.outbound.fetch(tokenEndpoint(credentials.loginUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const refused = outboundRefusalIn(error);
      if (refused) throw refused;
      throw new LeadstreamError(
        'crm_unavailable',
        `Salesforce's token endpoint could not be reached: ${transportReason(error)}`,
        {
          details: { operation: 'oauth2.token' },
          cause: error,
        },
      );
    }
    const answer = await answerObject(response);
    const accessToken = nonEmptyText(answer.access_token);
    const instanceUrl = nonEmptyText(answer.instance_url);
    if (response.ok && accessToken !== undefined && instanceUrl !== undefined)
      return { accessToken, instanceUrl };
    const details = {
      operation: 'oauth2.token',
      status: response.status,
      error_code: nonEmptyText(answer.error) ?? null,
    };
    if (response.ok) {
      // A success without a token is Salesforce failing, not refusing the assertion.
      throw new LeadstreamError(
        'crm_unavailable',
        `Salesforce's token endpoint failed (${response.status})`,
        {
          details,
        },
      );
    }
    const verdict = classifyTokenRefusal({
      status: response.status,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after'), this.clock.now()),
    });
    // A refusal (invalid_grant, invalid_client_id, ...): the credentials or the connected app's setup must change.
    throw verdictError(
      verdict,
      verdict.retryable
        ? `Salesforce's token endpoint failed (${response.status})`
        : `Salesforce refused the JWT bearer assertion (${nonEmptyText(answer.error) ?? response.status}): ${
            nonEmptyText(answer.error_description) ?? 'no description'
          }`,
      details,
    );
  }
}
