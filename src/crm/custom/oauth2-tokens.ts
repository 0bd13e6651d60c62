import { z } from 'zod';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { OutboundGuard } from '../../outbound/outbound-guard.js';
import type { Clock } from '../../time/clock.js';
import { TokenCache } from '../kernel/token-cache.js';
import { exchange } from './http-exchange.js';

/** A token is renewed this long before it expires, so none runs out between being read and being used. */
const RENEW_BEFORE_MS = 60_000;
/** A token answer without expires_in is kept this long, or until the CRM refuses it. */
const DEFAULT_LIFETIME_MS = 3_600_000;

const tokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string | undefined;
  timeoutMs: number;
  outbound: OutboundGuard;
  redact: (text: string) => string;
}

interface CachedToken {
  token: string;
  /** When to fetch the next one: shortly before expiry (half the lifetime for short-lived tokens). */
  renewAt: number;
}

/** RFC 6749 §2.3.1: client id and secret are form-encoded before they are joined and base64-encoded. */
function basicClientAuthentication(id: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

/**
 * OAuth 2.0 client credentials access tokens, per tenant and client: fetched once, shared by
 * concurrent deliveries, renewed shortly before expiry or as soon as the client secret is rotated,
 * and dropped when the CRM refuses one (see TokenCache).
 */
export class OAuth2Tokens extends TokenCache<ClientCredentials, CachedToken> {
  constructor(private readonly clock: Clock) {
    super();
  }

  private key(tenantId: string, credentials: ClientCredentials): string {
    return `${tenantId}\u0000${credentials.tokenUrl}\u0000${credentials.clientId}`;
  }

  async tokenFor(tenantId: string, credentials: ClientCredentials): Promise<string> {
    return (await this.get(this.key(tenantId, credentials), credentials)).token;
  }

  /** After the CRM refused the token: the next delivery fetches a new one. */
  forget(tenantId: string, credentials: ClientCredentials): Promise<void> {
    return this.invalidate(this.key(tenantId, credentials));
  }

  protected dependsOn({ tokenUrl, clientId, clientSecret, scope }: ClientCredentials) {
    return [tokenUrl, clientId, clientSecret, scope ?? null];
  }

  protected accessTokenOf(token: CachedToken): string {
    return token.token;
  }

  protected override isFresh(token: CachedToken): boolean {
    return token.renewAt > this.clock.now().getTime();
  }

  protected async request(credentials: ClientCredentials): Promise<CachedToken> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (credentials.scope !== undefined) form.set('scope', credentials.scope);
    const label = 'the OAuth2 token request';
    let answer: Awaited<ReturnType<typeof exchange>>;
    try {
      answer = await exchange(
        {
          method: 'POST',
          url: new URL(credentials.tokenUrl),
          headers: {
            Authorization: basicClientAuthentication(credentials.clientId, credentials.clientSecret),
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json',
          },
          body: form.toString(),
        },
        {
          label,
          timeoutMs: credentials.timeoutMs,
          outbound: credentials.outbound,
          redact: credentials.redact,
          now: () => this.clock.now(),
        },
      );
    } catch (error) {
      // RFC 6749 §5.2: a refused client is 400 invalid_client / unauthorized_client, not only 401.
      if (
        error instanceof LeadstreamError &&
        (error.type === 'crm_rejected' || error.type === 'crm_not_found')
      ) {
        throw new LeadstreamError(
          'crm_auth_error',
          `${error.message} (check token_url, client_id and client_secret)`,
          {
            details: error.details,
            cause: error,
          },
        );
      }
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(answer.text);
    } catch {
      json = undefined;
    }
    const parsed = tokenAnswerSchema.safeParse(json);
    if (!parsed.success) {
      throw new LeadstreamError('crm_auth_error', `${label} answered without an access_token`, {
        details: { request: label, status: answer.status },
      });
    }
    const lifetime =
      parsed.data.expires_in === undefined ? DEFAULT_LIFETIME_MS : parsed.data.expires_in * 1000;
    const renewAt = this.clock.now().getTime() + lifetime - Math.min(RENEW_BEFORE_MS, lifetime / 2);
    return { token: parsed.data.access_token, renewAt };
  }
}
