import type { Settings } from '../../config/settings.js';
import { LeadstreamError, toLeadstreamError } from '../../errors/leadstream-error.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { Clock } from '../../time/clock.js';
import { CIRCUIT_STATES, CircuitBreaker, type CircuitPolicy, type CircuitState } from './circuit-breaker.js';

export interface CrmCircuitBreakersOptions {
  policy: CircuitPolicy;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
}

const STATUS: Record<CircuitState, string> = {
  closed: 'circuit_closed',
  open: 'circuit_open',
  half_open: 'circuit_half_open',
};

/**
 * One circuit per tenant and CRM type: a tenant's CRM account fails on its own (its credentials, its
 * quota, its instance), so one tenant's outage must not hold back another tenant of the same CRM. The
 * circuits live as long as the process; there is one per configured tenant and CRM at most.
 */
export class CrmCircuitBreakers {
  private readonly circuits = new Map<string, CircuitBreaker>();

  constructor(private readonly options: CrmCircuitBreakersOptions) {}

  static fromSettings(
    settings: Settings,
    options: Omit<CrmCircuitBreakersOptions, 'policy'>,
  ): CrmCircuitBreakers {
    if (settings.CIRCUIT_MAX_OPEN_MS < settings.CIRCUIT_OPEN_MS) {
      throw new LeadstreamError(
        'config_error',
        `CIRCUIT_MAX_OPEN_MS (${settings.CIRCUIT_MAX_OPEN_MS}) must be at least CIRCUIT_OPEN_MS (${settings.CIRCUIT_OPEN_MS})`,
      );
    }
    const policy = {
      failureThreshold: settings.CIRCUIT_FAILURE_THRESHOLD,
      openMs: settings.CIRCUIT_OPEN_MS,
      maxOpenMs: settings.CIRCUIT_MAX_OPEN_MS,
    };
    return new CrmCircuitBreakers({ ...options, policy });
  }

  /**
   * Runs `deliver` unless the tenant's circuit for this CRM is open (or half-open with its probe out):
   * then throws a retryable crm_unavailable whose retryAfterMs is the time until the next probe, so the
   * message waits without spending a CRM request.
   */
  async call<T>(tenantId: string, crm: string, deliver: () => Promise<T>): Promise<T> {
    const circuit = this.circuitOf(tenantId, crm);
    const admission = this.moving(circuit, tenantId, crm, () => circuit.admit());
    if (admission.kind === 'refused') {
      throw new LeadstreamError(
        'crm_unavailable',
        `${crm} circuit is ${circuit.state === 'open' ? 'open' : 'half-open with its probe out'} for this tenant: not called, next try in ${admission.retryAfterMs} ms`,
        {
          retryAfterMs: admission.retryAfterMs,
          details: { circuit: circuit.state, opened_by: circuit.openedBy ?? null },
        },
      );
    }
    let result: T;
    try {
      result = await deliver();
    } catch (error) {
      this.moving(circuit, tenantId, crm, () => circuit.settle(admission, toLeadstreamError(error)));
      throw error;
    }
    this.moving(circuit, tenantId, crm, () => circuit.settle(admission, undefined));
    return result;
  }

  private circuitOf(tenantId: string, crm: string): CircuitBreaker {
    const key = `${tenantId}\u0000${crm}`;
    let circuit = this.circuits.get(key);
    if (!circuit) {
      circuit = new CircuitBreaker(this.options.policy, this.options.clock);
      this.circuits.set(key, circuit);
      // Every state's series exists from the first delivery, so an alert or a panel sees 0, not nothing.
      for (const state of CIRCUIT_STATES) {
        this.options.metrics.crmCircuitState.inc(
          this.labels(tenantId, crm, state),
          state === 'closed' ? 1 : 0,
        );
      }
    }
    return circuit;
  }

  /** Does `step` to the circuit and reports the transition it made, if any. */
  private moving<R>(circuit: CircuitBreaker, tenantId: string, crm: string, step: () => R): R {
    const from = circuit.state;
    const result = step();
    const to = circuit.state;
    if (to === from) return result;
    const gauge = this.options.metrics.crmCircuitState;
    gauge.dec(this.labels(tenantId, crm, from));
    gauge.inc(this.labels(tenantId, crm, to));
    const fields = { tenant_id: tenantId, crm, workflow_step: 'crm_push', status: STATUS[to] };
    if (to === 'open') {
      this.options.logger.warn(
        { ...fields, error_type: circuit.openedBy, open_ms: circuit.openMs },
        from === 'closed'
          ? `${crm} failed ${this.options.policy.failureThreshold} times in a row: circuit open, not called for ${circuit.openMs} ms`
          : `${crm} probe failed: circuit open again, not called for ${circuit.openMs} ms`,
      );
    } else if (to === 'half_open') {
      this.options.logger.info(fields, `${crm} circuit half-open: one delivery probes the CRM`);
    } else {
      this.options.logger.info(fields, `${crm} answered the probe: circuit closed`);
    }
    return result;
  }

  private labels(tenantId: string, crm: string, state: CircuitState) {
    return { crm, state, ...this.options.metrics.tenant(tenantId) };
  }
}
