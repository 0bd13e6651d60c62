import type { ErrorType } from '../../errors/error-types.js';
import type { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Clock } from '../../time/clock.js';

export interface CircuitPolicy {
  /** Consecutive outages (see isOutage) of one tenant's CRM that open its circuit. */
  failureThreshold: number;
  /** The first cool-down after the circuit opens; each failed probe doubles it. */
  openMs: number;
  /** The longest cool-down, however many probes failed. */
  maxOpenMs: number;
}

/** The settings' defaults (CIRCUIT_*): five outages, then 15 s without calls, doubling up to 5 min. */
export const DEFAULT_CIRCUIT_POLICY: CircuitPolicy = {
  failureThreshold: 5,
  openMs: 15_000,
  maxOpenMs: 300_000,
};

export type CircuitState = 'closed' | 'open' | 'half_open';

export const CIRCUIT_STATES: readonly CircuitState[] = ['closed', 'open', 'half_open'];

/** A call let through: an ordinary one while closed, or the one probe of a half-open circuit. */
export type PassedCall = { kind: 'call' } | { kind: 'probe' };

export type Admission = PassedCall | { kind: 'refused'; retryAfterMs: number };

const CALL: PassedCall = { kind: 'call' };
const PROBE: PassedCall = { kind: 'probe' };

/**
 * Whether a failure says the CRM is down rather than that one request was wrong. A rate limit counts only
 * when it asks for at least a cool-down's wait (a spent daily quota): a short one is the CRM pacing us,
 * which the tenant's rate limiter already follows. Permanent failures (a rejected record, refused
 * credentials) are answers from a CRM that is up.
 */
export function isOutage(error: LeadstreamError, policy: CircuitPolicy): boolean {
  if (!error.retryable) return false;
  if (error.type === 'crm_unavailable') return true;
  return error.type === 'crm_rate_limited' && (error.retryAfterMs ?? 0) >= policy.openMs;
}

/**
 * The circuit of one tenant's CRM. Closed: every call goes through, and `failureThreshold` outages in a
 * row open it. Open: no call goes through until the cool-down is over; then the next call is let
 * through as the probe and the circuit is half-open, refusing every other call until the probe's
 * outcome: an answer closes it, an outage opens it again for twice the cool-down (up to `maxOpenMs`).
 * Only outcomes of calls made while closed, and the probe's, move it: a call let through before the
 * circuit opened may answer late and says nothing about the CRM now.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private outagesInARow = 0;
  private coolDownMs: number;
  private openUntilMs = 0;
  private opener: ErrorType | undefined;

  constructor(
    private readonly policy: CircuitPolicy,
    private readonly clock: Clock,
  ) {
    this.coolDownMs = policy.openMs;
  }

  get state(): CircuitState {
    return this.current;
  }

  /** The error type of the outage that last opened the circuit. */
  get openedBy(): ErrorType | undefined {
    return this.opener;
  }

  /** The cool-down the circuit is in, or would start with if it opened now. */
  get openMs(): number {
    return this.coolDownMs;
  }

  admit(): Admission {
    if (this.current === 'closed') return CALL;
    if (this.current === 'open') {
      const wait = this.openUntilMs - this.clock.now().getTime();
      if (wait > 0) return { kind: 'refused', retryAfterMs: wait };
      this.current = 'half_open';
      return PROBE;
    }
    // The probe is out and may take a while; its answer is unknown, so come back after the first
    // cool-down: soon after the probe closed the circuit, or to be refused again until the next probe.
    return { kind: 'refused', retryAfterMs: this.policy.openMs };
  }

  /** The outcome of a call admit() let through: `error` undefined when it succeeded. */
  settle(call: PassedCall, error: LeadstreamError | undefined): void {
    const outage = error !== undefined && isOutage(error, this.policy);
    if (call.kind === 'probe') {
      if (outage) this.open(Math.min(this.policy.maxOpenMs, this.coolDownMs * 2), error.type);
      else this.close();
      return;
    }
    if (this.current !== 'closed') return;
    if (!outage) {
      this.outagesInARow = 0;
      return;
    }
    this.outagesInARow++;
    if (this.outagesInARow >= this.policy.failureThreshold) this.open(this.policy.openMs, error.type);
  }

  private open(coolDownMs: number, opener: ErrorType): void {
    this.current = 'open';
    this.coolDownMs = coolDownMs;
    this.openUntilMs = this.clock.now().getTime() + coolDownMs;
    this.opener = opener;
  }

  private close(): void {
    this.current = 'closed';
    this.outagesInARow = 0;
    this.coolDownMs = this.policy.openMs;
  }
}
