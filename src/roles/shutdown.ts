import type { Logger } from '../observability/logger.js';

/**
 * The order components close in: the gateway first, so no new work is accepted while the consumers
 * drain what they hold and commit; the tenant store once no consumer reads it; the producer once
 * nothing will write any more; the ops server last, so /readyz says 503 (and /healthz still answers)
 * for as long as the drain takes.
 */
const SHUTDOWN_ORDER = [
  'gateway',
  'consumers',
  'consumer_lag',
  'tenants',
  'producer',
  'outbound',
  'ops',
] as const;
export type ClosingComponent = (typeof SHUTDOWN_ORDER)[number];

/**
 * How to close what a process has started. A component is added as it starts, before its start is
 * awaited, so a start that fails part-way closes exactly what it had opened (a half-started one
 * included), in the same order as a graceful stop.
 */
export class Shutdown {
  private readonly closers = new Map<ClosingComponent, Array<() => Promise<unknown>>>();
  private running: Promise<void> | undefined;

  add(component: ClosingComponent, close: () => Promise<unknown>): void {
    this.closers.set(component, [...(this.closers.get(component) ?? []), close]);
  }

  /** True from the moment run() is called: the process no longer wants traffic. */
  get begun(): boolean {
    return this.running !== undefined;
  }

  /**
   * Closes every component added, those of one kind together. One that fails to close is logged and
   * the rest still close; run() then rejects with the first failure. Idempotent.
   */
  run(logger: Logger): Promise<void> {
    this.running ??= this.closeAll(logger);
    return this.running;
  }

  private async closeAll(logger: Logger): Promise<void> {
    const failures: unknown[] = [];
    for (const component of SHUTDOWN_ORDER) {
      const results = await Promise.allSettled((this.closers.get(component) ?? []).map((close) => close()));
      for (const result of results) {
        if (result.status === 'fulfilled') continue;
        logger.error(
          { workflow_step: 'shutdown', status: 'close_failed', component, err: result.reason },
          `${component} did not close`,
        );
        failures.push(result.reason);
      }
    }
    if (failures.length > 0) throw failures[0];
  }
}
