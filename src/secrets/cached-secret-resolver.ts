import { LRUCache } from 'lru-cache';
import type { SecretResolver } from './secret-resolver.js';

/** Keeps resolved values for a while so a busy tenant does not hit the secret store per message. */
export class CachedSecretResolver implements SecretResolver {
  private readonly cache: LRUCache<string, string>;

  constructor(
    private readonly inner: SecretResolver,
    options: { ttlMs: number; max?: number },
  ) {
    this.cache = new LRUCache<string, string>({ max: options.max ?? 1000, ttl: options.ttlMs });
  }

  async resolve(reference: string): Promise<string> {
    const cached = this.cache.get(reference);
    if (cached !== undefined) return cached;
    const value = await this.inner.resolve(reference);
    this.cache.set(reference, value);
    return value;
  }
}
