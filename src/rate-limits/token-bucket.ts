/** A request budget: `requests` per `perMs` milliseconds, bursts up to `burst` (`requests` unless set). */
export interface RateLimit {
  requests: number;
  perMs: number;
  burst?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A token bucket: holds up to `burst` tokens and refills continuously at requests/perMs. take() waits
 * for a token instead of failing, so steady load stays under the vendor's limit and a burst is smoothed
 * rather than answered with 429s; tryTake() answers at once, for a server refusing what is over budget.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly ratePerMs: number;
  private readonly capacity: number;
  /** Callers queue in order; each reserves its token before waiting, so none starves. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    if (limit.requests <= 0 || limit.perMs <= 0)
      throw new RangeError('a rate limit needs requests > 0 and perMs > 0');
    this.capacity = limit.burst ?? limit.requests;
    this.tokens = this.capacity;
    this.updatedAt = now();
    this.ratePerMs = limit.requests / limit.perMs;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.ratePerMs);
    this.updatedAt = now;
  }

  /** Milliseconds until a token is free now (0 when one is). */
  private reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil(-this.tokens / this.ratePerMs);
  }

  /** Takes a token if one is free now (0); otherwise takes none and answers the milliseconds until one is. */
  tryTake(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.tokens) / this.ratePerMs);
  }

  /** Waits until the request may be sent; resolves with the milliseconds waited. */
  take(): Promise<number> {
    const turn = this.tail.then(async () => {
      const wait = this.reserve();
      if (wait > 0) await sleep(wait);
      return wait;
    });
    this.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }
}
