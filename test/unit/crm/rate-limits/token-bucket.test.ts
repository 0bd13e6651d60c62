import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TenantRateLimiter } from '../../../../src/crm/rate-limits/tenant-rate-limiter.js';
import { TokenBucket } from '../../../../src/rate-limits/token-bucket.js';

describe('per-tenant token buckets for CRM rate limits', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets a burst through, then spaces requests at the vendor rate', async () => {
    const bucket = new TokenBucket({ requests: 2, perMs: 1_000 }, Date.now);
    const waits = [bucket.take(), bucket.take(), bucket.take(), bucket.take()];
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await Promise.all(waits)).toEqual([0, 0, 500, 500]);
    expect(Date.now()).toBe(1_000);
  });

  it('answers at once with tryTake: a burst of its own size, then the wait until the next token', () => {
    const bucket = new TokenBucket({ requests: 1, perMs: 1_000, burst: 3 }, Date.now);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([
      0, 0, 0, 1_000,
    ]);
    vi.advanceTimersByTime(400);
    expect(bucket.tryTake()).toBe(600);
    vi.advanceTimersByTime(600);
    expect(bucket.tryTake()).toBe(0);
  });

  it('never sends more than the limit in any window, whatever the load', async () => {
    const bucket = new TokenBucket({ requests: 10, perMs: 10_000 }, Date.now);
    const sentAt: number[] = [];
    const all = Array.from({ length: 35 }, () => bucket.take().then(() => sentAt.push(Date.now())));
    await vi.advanceTimersByTimeAsync(40_000);
    await Promise.all(all);
    for (const start of sentAt) {
      // A full bucket may add its capacity on top of what one window refills.
      expect(sentAt.filter((at) => at >= start && at < start + 10_000).length).toBeLessThanOrEqual(20);
    }
    expect(sentAt.at(-1)).toBe(25_000);
  });

  it('keeps tenants apart: one busy tenant does not slow another', async () => {
    const limiter = new TenantRateLimiter({ requests: 1, perMs: 1_000 }, Date.now);
    const busy = [limiter.acquire('a'), limiter.acquire('a'), limiter.acquire('a')];
    const quiet = limiter.acquire('b');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await Promise.all(busy)).toEqual([0, 1_000, 1_000]);
    expect(await quiet).toBe(0);
  });

  it("uses a tenant's own limit where its plan sets one", async () => {
    const limiter = new TenantRateLimiter({ requests: 1, perMs: 1_000 }, Date.now);
    const waits = [1, 2, 3].map(() => limiter.acquire('enterprise', { requests: 3, perMs: 1_000 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(await Promise.all(waits)).toEqual([0, 0, 0]);
  });
});
