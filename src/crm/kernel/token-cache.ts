import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

interface CachedToken<T> {
  /** A hash of the credentials it was issued for; never the credentials themselves. */
  fingerprint: string;
  token: Promise<T>;
}

/**
 * Access tokens per tenant (or per tenant and client), for every CRM that fetches one: shared by
 * concurrent deliveries, which wait for one token request; renewed when no longer fresh; dropped when
 * its request fails or the CRM refuses it (invalidate). Each is kept with a fingerprint of the
 * credentials it was issued for, so a rotated secret gets a new token at the next delivery, before
 * the old one expires. A CRM says how to ask for a token and what it depends on.
 */
export abstract class TokenCache<C, T> {
  private readonly tokens = new LRUCache<string, CachedToken<T>>({ max: 10_000 });

  /** Asks the CRM's token endpoint for a new token. */
  protected abstract request(credentials: C): Promise<T>;
  /** Everything the token depends on, secrets included: only their hash is kept. */
  protected abstract dependsOn(credentials: C): readonly unknown[];
  /** The bearer value, to tell whether the token the CRM refused is still the cached one. */
  protected abstract accessTokenOf(token: T): string;

  /** Whether the token may still be used; by default until the CRM refuses it (Salesforce gives no expiry). */
  protected isFresh(_token: T): boolean {
    return true;
  }

  get(key: string, credentials: C): Promise<T> {
    const fingerprint = createHash('sha256')
      .update(JSON.stringify(this.dependsOn(credentials)))
      .digest('hex');
    const cached = this.tokens.get(key);
    if (cached?.fingerprint !== fingerprint) return this.renew(key, fingerprint, credentials, cached);
    return cached.token.then((token) =>
      this.isFresh(token) ? token : this.renew(key, fingerprint, credentials, cached),
    );
  }

  /** Drops the token the CRM refused if it is still cached (another delivery may have replaced it already). */
  async invalidate(key: string, accessToken?: string): Promise<void> {
    const cached = this.tokens.get(key);
    if (!cached) return;
    const current = await cached.token.catch(() => undefined);
    const refused =
      accessToken === undefined || current === undefined || this.accessTokenOf(current) === accessToken;
    if (refused && this.tokens.get(key) === cached) this.tokens.delete(key);
  }

  private renew(
    key: string,
    fingerprint: string,
    credentials: C,
    seen: CachedToken<T> | undefined,
  ): Promise<T> {
    const current = this.tokens.get(key);
    // Another delivery already started a renewal for these credentials: share it.
    if (current !== undefined && current !== seen && current.fingerprint === fingerprint)
      return current.token;
    const entry = { fingerprint, token: this.request(credentials) };
    this.tokens.set(key, entry);
    // A failed request is not kept: the next delivery tries again.
    entry.token.catch(() => {
      if (this.tokens.get(key) === entry) this.tokens.delete(key);
    });
    return entry.token;
  }
}
