import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

interface CachedToken<T> {
  /** A hash of the credentials it was issued for; never the credentials themselves. */
  fingerprint: string;
  token: Promise<T>;
}

/** What the cache must know of a CRM's token. */
export interface TokenRules<T> {
  /** The bearer value, to tell whether the token the CRM refused is still the cached one. */
  accessTokenOf(token: T): string;
  /** Whether the token may still be used; absent, until the CRM refuses it (Salesforce gives no expiry). */
  isFresh?(token: T): boolean;
}

/**
 * Access tokens per tenant (or per tenant and client), for every CRM that fetches one: shared by
 * concurrent deliveries, which wait for one token request; renewed when no longer fresh; dropped when
 * its request fails or the CRM refuses it (invalidate). Each is kept with a fingerprint of the
 * credentials it was issued for, so a rotated secret gets a new token at the next delivery, before
 * the old one expires.
 */
export class TokenCache<T> {
  private readonly tokens = new LRUCache<string, CachedToken<T>>({ max: 10_000 });

  constructor(private readonly rules: TokenRules<T>) {}

  /** `credentials`: everything the token depends on (secrets included: only their hash is kept). */
  get(key: string, credentials: readonly unknown[], request: () => Promise<T>): Promise<T> {
    const fingerprint = createHash('sha256').update(JSON.stringify(credentials)).digest('hex');
    const cached = this.tokens.get(key);
    if (cached?.fingerprint !== fingerprint) return this.renew(key, fingerprint, request, cached);
    const { isFresh } = this.rules;
    if (isFresh === undefined) return cached.token;
    return cached.token.then((token) =>
      isFresh(token) ? token : this.renew(key, fingerprint, request, cached),
    );
  }

  /** Drops the token the CRM refused if it is still cached (another delivery may have replaced it already). */
  async invalidate(key: string, accessToken?: string): Promise<void> {
    const cached = this.tokens.get(key);
    if (!cached) return;
    const current = await cached.token.catch(() => undefined);
    const refused =
      accessToken === undefined || current === undefined || this.rules.accessTokenOf(current) === accessToken;
    if (refused && this.tokens.get(key) === cached) this.tokens.delete(key);
  }

  private renew(
    key: string,
    fingerprint: string,
    request: () => Promise<T>,
    seen: CachedToken<T> | undefined,
  ): Promise<T> {
    const current = this.tokens.get(key);
    // Another delivery already started a renewal for these credentials: share it.
    if (current !== undefined && current !== seen && current.fingerprint === fingerprint)
      return current.token;
    const entry = { fingerprint, token: request() };
    this.tokens.set(key, entry);
    // A failed request is not kept: the next delivery tries again.
    entry.token.catch(() => {
      if (this.tokens.get(key) === entry) this.tokens.delete(key);
    });
    return entry.token;
  }
}
