/** Requests inside a rolling window: HubSpot's limits count calls in the last N milliseconds, not per bucket. */
export class RollingWindow {
  private readonly hits: number[] = [];

  constructor(
    readonly max: number,
    readonly intervalMs: number,
  ) {}

  private prune(now: number): void {
    while (this.hits.length > 0 && (this.hits[0] ?? 0) <= now - this.intervalMs) this.hits.shift();
  }

  /** Counts the call when it fits; returns false (and counts nothing) when the window is full. */
  tryTake(now: number): boolean {
    this.prune(now);
    if (this.hits.length >= this.max) return false;
    this.hits.push(now);
    return true;
  }

  remaining(now: number): number {
    this.prune(now);
    return Math.max(0, this.max - this.hits.length);
  }

  /** Milliseconds until the oldest counted call leaves the window. */
  msUntilFree(now: number): number {
    this.prune(now);
    const oldest = this.hits[0];
    return oldest === undefined ? 0 : Math.max(0, oldest + this.intervalMs - now);
  }
}

export interface RateLimitSettings {
  /** Calls per rolling window and token (HubSpot: 100 for Free/Starter, 190 for Professional/Enterprise). */
  max: number;
  intervalMs: number;
  /** Calls per day and portal. */
  daily: number;
  /** Search calls per second and token. */
  searchPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  max: 100,
  intervalMs: 10_000,
  daily: 250_000,
  searchPerSecond: 4,
};

/** The limits of one token. */
export class TokenLimits {
  readonly burst: RollingWindow;
  readonly search: RollingWindow;
  dailyUsed = 0;

  constructor(readonly settings: RateLimitSettings) {
    this.burst = new RollingWindow(settings.max, settings.intervalMs);
    this.search = new RollingWindow(settings.searchPerSecond, 1000);
  }

  headers(now: number): Record<string, string> {
    return {
      'x-hubspot-ratelimit-max': String(this.settings.max),
      'x-hubspot-ratelimit-remaining': String(this.burst.remaining(now)),
      'x-hubspot-ratelimit-interval-milliseconds': String(this.settings.intervalMs),
      'x-hubspot-ratelimit-daily': String(this.settings.daily),
      'x-hubspot-ratelimit-daily-remaining': String(Math.max(0, this.settings.daily - this.dailyUsed)),
      'x-hubspot-ratelimit-secondly': String(
        Math.ceil((this.settings.max * 1000) / this.settings.intervalMs),
      ),
      'x-hubspot-ratelimit-secondly-remaining': String(
        Math.ceil((this.burst.remaining(now) * 1000) / this.settings.intervalMs),
      ),
    };
  }
}
