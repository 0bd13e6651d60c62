import { describe, expect, it } from 'vitest';
import {
  type Admission,
  CircuitBreaker,
  type CircuitPolicy,
  type PassedCall,
} from '../../../../src/crm/circuit-breaker/circuit-breaker.js';
import { LeadstreamError } from '../../../../src/errors/leadstream-error.js';
import type { Clock } from '../../../../src/time/clock.js';

const policy: CircuitPolicy = { failureThreshold: 5, openMs: 15_000, maxOpenMs: 300_000 };

function manualClock() {
  let nowMs = Date.parse('2026-12-02T08:00:00Z');
  const clock: Clock = { now: () => new Date(nowMs) };
  return {
    clock,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

const outage = () => new LeadstreamError('crm_unavailable', 'HubSpot answered 503');

function passed(admission: Admission): PassedCall {
  if (admission.kind === 'refused') throw new Error(`refused for ${admission.retryAfterMs} ms`);
  return admission;
}

/** Calls let through and failed, one after the other. */
function failCalls(breaker: CircuitBreaker, count: number, error: LeadstreamError = outage()): void {
  for (let i = 0; i < count; i++) breaker.settle(passed(breaker.admit()), error);
}

describe('CRM circuit breaker', () => {
  it('opens after the threshold of outages in a row and refuses calls until the cool-down is over', () => {
    const { clock, advance } = manualClock();
    const breaker = new CircuitBreaker(policy, clock);
    failCalls(breaker, 4);
    expect(breaker.state).toBe('closed');
    expect(breaker.admit()).toEqual({ kind: 'call' });
    failCalls(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(breaker.openedBy).toBe('crm_unavailable');
    expect(breaker.admit()).toEqual({ kind: 'refused', retryAfterMs: 15_000 });
    advance(10_000);
    expect(breaker.admit()).toEqual({ kind: 'refused', retryAfterMs: 5_000 });
  });

  it('counts outages in a row: a success in between starts the count over', () => {
    const { clock } = manualClock();
    const breaker = new CircuitBreaker(policy, clock);
    failCalls(breaker, 4);
    breaker.settle(passed(breaker.admit()), undefined);
    failCalls(breaker, 4);
    expect(breaker.state).toBe('closed');
  });

  it('lets exactly one probe through once the cool-down is over, refusing the others while it is out', () => {
    const { clock, advance } = manualClock();
    const breaker = new CircuitBreaker(policy, clock);
    failCalls(breaker, 5);
    advance(15_000);
    expect(breaker.admit()).toEqual({ kind: 'probe' });
    expect(breaker.state).toBe('half_open');
    expect(breaker.admit().kind).toBe('refused');
    advance(60_000);
    expect(breaker.admit().kind).toBe('refused');
  });

  it('closes when the probe succeeds, and then needs the full threshold to open again', () => {
    const { clock, advance } = manualClock();
    const breaker = new CircuitBreaker(policy, clock);
    failCalls(breaker, 5);
    advance(15_000);
    breaker.settle(passed(breaker.admit()), undefined);
    expect(breaker.state).toBe('closed');
    expect(breaker.admit()).toEqual({ kind: 'call' });
    failCalls(breaker, 4);
    expect(breaker.state).toBe('closed');
  });

  it('doubles the cool-down with each failed probe up to the maximum, and starts over once closed', () => {
    const { clock, advance } = manualClock();
    const breaker = new CircuitBreaker(policy, clock);
    failCalls(breaker, 5);
    const coolDowns: number[] = [];
    for (let probe = 0; probe < 7; probe++) {
      const refused = breaker.admit();
      if (refused.kind !== 'refused') throw new Error('expected the open circuit to refuse');
      coolDowns.push(refused.retryAfterMs);
      advance(refused.retryAfterMs);
      breaker.settle(passed(breaker.admit()), outage());
    }
    expect(coolDowns).toEqual([15_000, 30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
    advance(300_000);
    breaker.settle(passed(breaker.admit()), undefined);
    failCalls(breaker, 5);
    expect(breaker.admit()).toEqual({ kind: 'refused', retryAfterMs: 15_000 });
  });

  it('neither opens nor counts on permanent errors: a CRM that rejects a record or the credentials is up', () => {
    const { clock } = manualClock();
    const breaker = new CircuitBreaker(policy, clock);
    failCalls(breaker, 10, new LeadstreamError('crm_auth_error', 'HubSpot answered 401'));
    failCalls(breaker, 10, new LeadstreamError('crm_rejected', 'invalid email'));
    expect(breaker.state).toBe('closed');
    failCalls(breaker, 4);
    failCalls(breaker, 1, new LeadstreamError('crm_rejected', 'invalid email'));
    failCalls(breaker, 4);
    expect(breaker.state).toBe('closed');
  });

  it('counts a rate limit only when it asks for at least a cool-down', () => {
    const { clock } = manualClock();
    const breaker = new CircuitBreaker(policy, clock);
    failCalls(breaker, 10, new LeadstreamError('crm_rate_limited', '429', { retryAfterMs: 10_000 }));
    failCalls(breaker, 10, new LeadstreamError('crm_rate_limited', '429'));
    expect(breaker.state).toBe('closed');
    failCalls(
      breaker,
      5,
      new LeadstreamError('crm_rate_limited', 'daily quota', { retryAfterMs: 3_600_000 }),
    );
    expect(breaker.state).toBe('open');
    expect(breaker.openedBy).toBe('crm_rate_limited');
  });

  it('ignores the late outcomes of calls let through before it opened', () => {
    const { clock, advance } = manualClock();
    const breaker = new CircuitBreaker(policy, clock);
    const [slowWhileOpen, slowWhileProbing, slowSuccess] = [
      breaker.admit(),
      breaker.admit(),
      breaker.admit(),
    ].map(passed) as [PassedCall, PassedCall, PassedCall];
    failCalls(breaker, 5);
    advance(5_000);
    breaker.settle(slowWhileOpen, outage());
    expect(breaker.admit()).toEqual({ kind: 'refused', retryAfterMs: 10_000 });
    advance(10_000);
    const probe = passed(breaker.admit());
    breaker.settle(slowWhileProbing, outage());
    breaker.settle(slowSuccess, undefined);
    expect(breaker.state).toBe('half_open');
    breaker.settle(probe, outage());
    expect(breaker.admit()).toEqual({ kind: 'refused', retryAfterMs: 30_000 });
  });
});
