import { LeadstreamError } from '../../errors/leadstream-error.js';
import { retryAfterMs } from '../../http/retry-after.js';
import { transportReason } from '../../http/transport-reason.js';
import type { OutboundGuard } from '../../outbound/outbound-guard.js';
import { outboundRefusalIn } from '../../outbound/outbound-refusal.js';
import type { SecretResolver } from '../../secrets/secret-resolver.js';
import type { Clock } from '../../time/clock.js';
import { verdictError } from '../errors/http-status-classification.js';
import { answerObject, nonEmptyText } from '../http-answer.js';
import { resolvedSecrets } from '../kernel/resolved-secrets.js';
import { TokenCache } from '../kernel/token-cache.js';
import { ZOHO_ACCOUNTS_DOMAINS, type ZohoCrmConfig } from './config.js';
import { classifyZohoTokenRefusal } from './error-classification.js';

/** What the refresh-token flow needs, resolved from the tenant's secret references. */
export interface ZohoCredentials {
  /** The data centre's accounts server: https://accounts.zoho.eu. */
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** What the accounts server and the API domain may be reached at. */
  outbound: OutboundGuard;
}

/** The tenant's credentials, secrets resolved; the accounts server is the data centre's unless configured. */
export async function zohoCredentials(
  config: ZohoCrmConfig,
  secrets: SecretResolver,
  outbound: OutboundGuard,
): Promise<ZohoCredentials> {
  const resolved = await resolvedSecrets(secrets, {
    clientId: config.client_id,
    clientSecret: config.client_secret,
    refreshToken: config.refresh_token,
  });
  const accountsUrl = config.accounts_url ?? `https://${ZOHO_ACCOUNTS_DOMAINS[config.data_centre]}`;
  return { accountsUrl, ...resolved, outbound };
}

export interface ZohoAccessToken {
  accessToken: string;
  /** Where this account's data lives (https://www.zohoapis.eu), as the token answer names it. */
  apiDomain: string;
  /** Epoch ms after which the token is not used any more. */
  renewAt: number;
}

/** A token is renewed this long before Zoho's expiry, so no request carries one that dies in flight. */
const RENEW_MARGIN_MS = 5 * 60_000;

/**
 * Access tokens per tenant from Zoho's refresh-token flow, kept until shortly before `expires_in`
 * runs out: Zoho allows few token requests per refresh token (about ten in ten minutes), so every
 * delivery of a tenant shares one token, and concurrent ones share one request for it.
 */
export class ZohoAccessTokens extends TokenCache<ZohoCredentials, ZohoAccessToken> {
  constructor(private readonly options: { clock: Clock; timeoutMs: number }) {
    super();
  }

  protected dependsOn({ accountsUrl, clientId, clientSecret, refreshToken }: ZohoCredentials) {
    return [accountsUrl, clientId, clientSecret, refreshToken];
  }

  protected accessTokenOf(token: ZohoAccessToken): string {
    return token.accessToken;
  }

  protected override isFresh(token: ZohoAccessToken): boolean {
    return token.renewAt > this.options.clock.now().getTime();
  }

  protected async request(credentials: ZohoCredentials): Promise<ZohoAccessToken> {
    const operation = 'oauth.v2.token';
    let response: Response;
    try {
      response = await credentials.outbound.fetch(
        `${credentials.accountsUrl.replace(/\/+$/, '')}/oauth/v2/token`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          // In the body, not the query string Zoho's examples use, so no proxy log keeps the secrets.
          body: new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: credentials.refreshToken,
            client_id: credentials.clientId,
            client_secret: credentials.clientSecret,
          }),
          signal: AbortSignal.timeout(this.options.timeoutMs),
        },
      );
    } catch (error) {
      const refused = outboundRefusalIn(error);
      if (refused) throw refused;
      const reason = transportReason(error);
      throw new LeadstreamError('crm_unavailable', `Zoho's accounts server could not be reached: ${reason}`, {
        details: { operation },
        cause: error,
      });
    }
    const answer = await answerObject(response);
    const accessToken = nonEmptyText(answer.access_token);
    const apiDomain = nonEmptyText(answer.api_domain);
    const expiresIn =
      typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : 3600;
    if (response.ok && accessToken !== undefined && apiDomain !== undefined) {
      const lifetimeMs = expiresIn * 1000;
      const margin = Math.min(RENEW_MARGIN_MS, lifetimeMs / 2);
      return { accessToken, apiDomain, renewAt: this.options.clock.now().getTime() + lifetimeMs - margin };
    }
    const error = nonEmptyText(answer.error);
    const details = { operation, status: response.status, error_code: error ?? null };
    if (response.ok && error === undefined) {
      throw new LeadstreamError('crm_unavailable', `Zoho's accounts server failed (${response.status})`, {
        details,
      });
    }
    const verdict = classifyZohoTokenRefusal({
      status: response.status,
      code: error,
      message: nonEmptyText(answer.error_description),
      retryAfterMs: retryAfterMs(response.headers.get('retry-after'), this.options.clock.now()),
    });
    // invalid_code (a revoked or mistyped refresh token), invalid_client: the credentials must change.
    throw verdictError(
      verdict,
      verdict.type === 'crm_rate_limited'
        ? `Zoho's accounts server refused more token requests for now`
        : verdict.retryable
          ? `Zoho's accounts server failed (${response.status})`
          : `Zoho refused the refresh token (${error ?? response.status}): check client_id, client_secret, refresh_token and data_centre`,
      details,
    );
  }
}
