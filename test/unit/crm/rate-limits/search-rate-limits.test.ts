import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SearchRateLimits } from '../../../../src/crm/rate-limits/search-rate-limits.js';

describe('search rate limits (HubSpot, Pipedrive)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds searches to the search limit even when the general limit has room', async () => {
    const gates = new SearchRateLimits(
      { requests: 10, perMs: 1_000 },
      { requests: 1, perMs: 1_000 },
    ).gatesFor('t', { requests: 10, perMs: 1_000 });
    const waits = [gates.search(), gates.search(), gates.request()];
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await Promise.all(waits)).toEqual([0, 1_000, 0]);
  });

  it("counts a search against the tenant's general limit too", async () => {
    const gates = new SearchRateLimits(
      { requests: 10, perMs: 1_000 },
      { requests: 5, perMs: 1_000 },
    ).gatesFor('t', { requests: 1, perMs: 1_000 });
    expect(await gates.search()).toBe(0);
    const next = gates.request();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await next).toBe(1_000);
  });
});
