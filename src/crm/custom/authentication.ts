import type { OutboundGuard } from '../../outbound/outbound-guard.js';
import type { SecretResolver } from '../../secrets/secret-resolver.js';
import type { CustomAuthentication } from './config.js';
import type { ClientCredentials, OAuth2Tokens } from './oauth2-tokens.js';

/** What `{{auth.token}}`, `{{auth.username}}`, `{{auth.password}}` and `{{auth.key}}` stand for. */
export type AuthValues = Partial<Record<'token' | 'username' | 'password' | 'key', string>>;

/** The credential of one delivery, ready to go on requests. */
export interface RequestCredentials {
  values: AuthValues;
  /** Headers the scheme sets when the endpoint's own headers do not already set them. */
  headers: Record<string, string>;
  /** Query parameters the scheme adds (api_key in query). */
  query: Record<string, string>;
  /** Replaces every credential value in a text with [redacted], for anything quoted in an error or log. */
  redact(text: string): string;
}

export interface AuthenticationScope {
  tenantId: string;
  secrets: SecretResolver;
  timeoutMs: number;
  outbound: OutboundGuard;
}

function redactor(values: readonly string[]): (text: string) => string {
  const secrets = [...new Set(values)]
    .filter((value) => value.length >= 4)
    .sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((result, secret) => result.split(secret).join('[redacted]'), text);
}

function credentials(
  values: AuthValues,
  headers: Record<string, string>,
  query: Record<string, string>,
  hidden: readonly string[],
): RequestCredentials {
  return { values, headers, query, redact: redactor(hidden) };
}

/**
 * The custom REST authentication schemes: a bearer token, HTTP Basic, an API key in a header or the
 * query, or an OAuth 2.0 client-credentials token (cached, see OAuth2Tokens). Secret references are
 * resolved per delivery through the (caching) SecretResolver, so a rotated secret is picked up.
 */
export class CustomAuthenticator {
  constructor(private readonly tokens: OAuth2Tokens) {}

  async credentialsFor(auth: CustomAuthentication, scope: AuthenticationScope): Promise<RequestCredentials> {
    const resolve = (value: string) => scope.secrets.resolve(value);
    switch (auth.type) {
      case 'none':
        return credentials({}, {}, {}, []);
      case 'bearer': {
        const token = await resolve(auth.token);
        return credentials({ token }, { Authorization: `Bearer ${token}` }, {}, [token]);
      }
      case 'basic': {
        const [username, password] = await Promise.all([resolve(auth.username), resolve(auth.password)]);
        const basic = Buffer.from(`${username}:${password}`).toString('base64');
        return credentials({ username, password }, { Authorization: `Basic ${basic}` }, {}, [
          password,
          basic,
        ]);
      }
      case 'api_key': {
        const key = await resolve(auth.key);
        return auth.in === 'query'
          ? credentials({ key }, {}, { [auth.name]: key }, [key, encodeURIComponent(key)])
          : credentials({ key }, { [auth.name]: key }, {}, [key]);
      }
      case 'oauth2_client_credentials': {
        const client = await this.clientCredentials(auth, scope);
        const token = await this.tokens.tokenFor(scope.tenantId, client);
        return credentials({ token }, { Authorization: `Bearer ${token}` }, {}, [token, client.clientSecret]);
      }
    }
  }

  /** After a 401: an OAuth2 token is dropped so that one new attempt can fetch another. True when it was. */
  async forgetToken(auth: CustomAuthentication, scope: AuthenticationScope): Promise<boolean> {
    if (auth.type !== 'oauth2_client_credentials') return false;
    await this.tokens.forget(scope.tenantId, await this.clientCredentials(auth, scope));
    return true;
  }

  private async clientCredentials(
    auth: Extract<CustomAuthentication, { type: 'oauth2_client_credentials' }>,
    scope: AuthenticationScope,
  ): Promise<ClientCredentials> {
    const [clientId, clientSecret] = await Promise.all([
      scope.secrets.resolve(auth.client_id),
      scope.secrets.resolve(auth.client_secret),
    ]);
    return {
      tokenUrl: auth.token_url,
      clientId,
      clientSecret,
      scope: auth.scope,
      timeoutMs: scope.timeoutMs,
      outbound: scope.outbound,
      redact: redactor([clientSecret]),
    };
  }
}
