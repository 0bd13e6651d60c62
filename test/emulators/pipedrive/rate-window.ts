const WINDOW_MS = 2_000;

export interface WindowState {
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets, as `x-ratelimit-reset` says it. */
  resetSeconds: number;
}

/**
 * Pipedrive's burst limit: `limit` requests per token per 2-second window. Each request takes one
 * slot; the request over the limit is answered 429 and takes none.
 */
export class RateWindow {
  private windowStart = Number.NEGATIVE_INFINITY;
  private used = 0;

  constructor(
    readonly limit: number,
    private readonly now: () => number,
  ) {}

  private roll(): void {
    const now = this.now();
    if (now - this.windowStart >= WINDOW_MS) {
      this.windowStart = now;
      this.used = 0;
    }
  }

  /** Takes a slot; false when the window is full. */
  take(): boolean {
    this.roll();
    if (this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }

  state(): WindowState {
    this.roll();
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - this.used),
      resetSeconds: Math.max(1, Math.ceil((this.windowStart + WINDOW_MS - this.now()) / 1000)),
    };
  }
}
