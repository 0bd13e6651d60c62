import type { LeadstreamError } from '../../errors/leadstream-error.js';

/** How a CRM tells that it refused a token, and how its token is renewed. */
export interface TokenRefresh<K> {
  /** The token to call with: the cached one, then, after a refusal, a fresh one. */
  token(): Promise<K>;
  /** Whether this failure is the CRM refusing the token (Salesforce INVALID_SESSION_ID, Zoho INVALID_TOKEN). */
  isRefusal(error: unknown): boolean;
  /** Drops a refused token, so that token() fetches another. */
  drop(token: K): Promise<void>;
  /** Logs that the CRM refused the token and a fresh one is fetched. */
  onRefusal(): void;
  /** The failure when a fresh token is refused too: then the credentials or the setup are wrong. */
  refusedAgain(error: unknown): LeadstreamError;
}

/**
 * Runs a call with the tenant's token and, when the CRM refuses the token (expired or revoked before
 * its time), once more with a fresh one: never more, so a refused credential fails at once.
 */
export async function withTokenRefresh<K, T>(
  refresh: TokenRefresh<K>,
  call: (token: K) => Promise<T>,
): Promise<T> {
  const token = await refresh.token();
  try {
    return await call(token);
  } catch (error) {
    if (!refresh.isRefusal(error)) throw error;
    refresh.onRefusal();
    await refresh.drop(token);
    const fresh = await refresh.token();
    try {
      return await call(fresh);
    } catch (retryError) {
      if (!refresh.isRefusal(retryError)) throw retryError;
      await refresh.drop(fresh);
      throw refresh.refusedAgain(retryError);
    }
  }
}
