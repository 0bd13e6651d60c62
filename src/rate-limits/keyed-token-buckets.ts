import { LRUCache } from 'lru-cache';
import { type RateLimit, TokenBucket } from './token-bucket.js';

function sameLimit(a: RateLimit, b: RateLimit): boolean {
  return a.requests === b.requests && a.perMs === b.perMs && a.burst === b.burst;
}

/**
 * One token bucket per key (a tenant, a client address), each with the limit it was last asked under:
 * a changed limit starts a new bucket. Buckets of keys gone quiet are dropped (LRU); a key dropped
 * starts again with a full bucket, which errs toward letting a request through.
 */
export class KeyedTokenBuckets {
  private readonly buckets: LRUCache<string, { limit: RateLimit; bucket: TokenBucket }>;

  constructor(
    private readonly now: () => number = Date.now,
    maxKeys = 10_000,
  ) {
    this.buckets = new LRUCache({ max: maxKeys });
  }

  bucketFor(key: string, limit: RateLimit): TokenBucket {
    const entry = this.buckets.get(key);
    if (entry && sameLimit(entry.limit, limit)) return entry.bucket;
    const bucket = new TokenBucket(limit, this.now);
    this.buckets.set(key, { limit, bucket });
    return bucket;
  }
}
