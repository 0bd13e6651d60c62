import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Every answer waits a time drawn uniformly between these bounds, as a CRM across the internet does. */
export interface LatencyRange {
  minMs: number;
  maxMs: number;
}

export interface ServiceConditionsOptions {
  latency?: LatencyRange | undefined;
  /** What every request gets while the service is down: the CRM's own 503. */
  outageError: () => Error;
  /** Requests the switches leave alone (an emulator's internal subrequests, already delayed once). */
  exempt?: (request: FastifyRequest) => boolean;
}

function checked(range: LatencyRange | undefined): LatencyRange | undefined {
  if (range === undefined) return undefined;
  if (!(range.minMs >= 0 && range.maxMs >= range.minMs)) {
    throw new Error(`latency range ${range.minMs}-${range.maxMs} ms: need 0 <= min <= max`);
  }
  return range;
}

/**
 * How a whole service answers, apart from what it answers: how slowly, and whether at all. Emulators
 * register it first, so the delay and the outage come before authentication and before any
 * one-shot fault, as a slow or unreachable CRM would.
 */
export class ServiceConditions {
  private latency: LatencyRange | undefined;
  private down = false;

  constructor(private readonly options: ServiceConditionsOptions) {
    this.latency = checked(options.latency);
  }

  register(app: FastifyInstance): void {
    app.addHook('onRequest', async (request) => {
      if (this.options.exempt?.(request)) return;
      const range = this.latency;
      if (range !== undefined && range.maxMs > 0) {
        const ms = range.minMs + Math.random() * (range.maxMs - range.minMs);
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
      if (this.down) throw this.options.outageError();
    });
  }

  setLatency(range: LatencyRange | undefined): void {
    this.latency = checked(range);
  }

  setOutage(down: boolean): void {
    this.down = down;
  }

  get outage(): boolean {
    return this.down;
  }
}
