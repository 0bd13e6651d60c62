import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../../src/config/settings.js';
import { CrmCircuitBreakers } from '../../../../src/crm/circuit-breaker/crm-circuit-breakers.js';
import { LeadstreamError } from '../../../../src/errors/leadstream-error.js';
import { createLogger } from '../../../../src/observability/logger.js';
import { Metrics } from '../../../../src/observability/metrics.js';
import { type Clock, systemClock } from '../../../../src/time/clock.js';
import { failureOf } from '../../../support/failure-of.js';
import { captureLogLines } from '../../../support/log-capture.js';

function circuits(tenantLabel = true) {
  let nowMs = Date.parse('2026-12-02T08:00:00Z');
  const clock: Clock = { now: () => new Date(nowMs) };
  const out = captureLogLines();
  const metrics = new Metrics({ processMetrics: false, tenantLabel });
  const breakers = new CrmCircuitBreakers({
    policy: { failureThreshold: 3, openMs: 15_000, maxOpenMs: 300_000 },
    clock,
    metrics,
    logger: createLogger({ destination: out.stream }),
  });
  return {
    breakers,
    metrics,
    lines: out.lines,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

const down = async (): Promise<never> => {
  throw new LeadstreamError('crm_unavailable', 'HubSpot answered 503');
};
const up = async () => 'delivered';

async function failTimes(breakers: CrmCircuitBreakers, tenant: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await expect(breakers.call(tenant, 'hubspot', down)).rejects.toThrow('503');
  }
}

describe('circuits per tenant and CRM', () => {
  it('refuses without calling the CRM once open, with a retryable crm_unavailable due at the next probe', async () => {
    const { breakers, advance } = circuits();
    await failTimes(breakers, 't1', 3);
    advance(5_000);
    let called = false;
    const error = await failureOf(
      breakers.call('t1', 'hubspot', async () => {
        called = true;
      }),
    );
    expect(called).toBe(false);
    expect(error.type).toBe('crm_unavailable');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(10_000);
    expect(error.details).toMatchObject({ circuit: 'open', opened_by: 'crm_unavailable' });
  });

  it("keeps two tenants of one CRM apart: one tenant's outage leaves the other's deliveries going", async () => {
    const { breakers } = circuits();
    await failTimes(breakers, 't1', 3);
    await expect(breakers.call('t2', 'hubspot', up)).resolves.toBe('delivered');
    await expect(breakers.call('t1', 'pipedrive', up)).resolves.toBe('delivered');
    expect((await failureOf(breakers.call('t1', 'hubspot', up))).details.circuit).toBe('open');
  });

  it('probes once the cool-down is over, holding other deliveries back while the probe is out', async () => {
    const { breakers, advance } = circuits();
    await failTimes(breakers, 't1', 3);
    advance(15_000);
    let answer: (value: string) => void = () => undefined;
    const probe = breakers.call(
      't1',
      'hubspot',
      () =>
        new Promise<string>((resolve) => {
          answer = resolve;
        }),
    );
    const held = await failureOf(breakers.call('t1', 'hubspot', up));
    expect(held.details.circuit).toBe('half_open');
    answer('delivered');
    await expect(probe).resolves.toBe('delivered');
    await expect(breakers.call('t1', 'hubspot', up)).resolves.toBe('delivered');
  });

  it('says each transition in one log line and in the circuit-state gauge', async () => {
    const { breakers, metrics, lines, advance } = circuits();
    await failTimes(breakers, 't1', 3);
    const whileOpen = await metrics.registry.metrics();
    expect(whileOpen).toContain('leadstream_crm_circuit_state{crm="hubspot",state="open",tenant="t1"} 1');
    expect(whileOpen).toContain('leadstream_crm_circuit_state{crm="hubspot",state="closed",tenant="t1"} 0');
    advance(15_000);
    await failTimes(breakers, 't1', 1);
    advance(30_000);
    await breakers.call('t1', 'hubspot', up);
    const transitions = lines().filter((line) => String(line.status).startsWith('circuit_'));
    expect(transitions).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        tenant_id: 't1',
        crm: 'hubspot',
        workflow_step: 'crm_push',
        status: 'circuit_open',
        error_type: 'crm_unavailable',
        open_ms: 15_000,
      }),
      expect.objectContaining({ status: 'circuit_half_open', tenant_id: 't1' }),
      expect.objectContaining({ status: 'circuit_open', error_type: 'crm_unavailable', open_ms: 30_000 }),
      expect.objectContaining({ status: 'circuit_half_open' }),
      expect.objectContaining({
        severity: 'INFO',
        status: 'circuit_closed',
        tenant_id: 't1',
        crm: 'hubspot',
      }),
    ]);
    const closed = await metrics.registry.metrics();
    expect(closed).toContain('leadstream_crm_circuit_state{crm="hubspot",state="closed",tenant="t1"} 1');
    expect(closed).toContain('leadstream_crm_circuit_state{crm="hubspot",state="open",tenant="t1"} 0');
    expect(closed).toContain('leadstream_crm_circuit_state{crm="hubspot",state="half_open",tenant="t1"} 0');
  });

  it('counts circuits per state and CRM when tenant labels are off', async () => {
    const { breakers, metrics } = circuits(false);
    await breakers.call('t1', 'hubspot', up);
    await breakers.call('t2', 'hubspot', up);
    await failTimes(breakers, 't3', 3);
    const text = await metrics.registry.metrics();
    expect(text).toContain('leadstream_crm_circuit_state{crm="hubspot",state="closed"} 2');
    expect(text).toContain('leadstream_crm_circuit_state{crm="hubspot",state="open"} 1');
  });

  it('refuses settings whose longest cool-down is shorter than the first', async () => {
    const settings = loadSettings({ CIRCUIT_OPEN_MS: '600000', CIRCUIT_MAX_OPEN_MS: '300000' });
    const { metrics } = circuits();
    expect(() =>
      CrmCircuitBreakers.fromSettings(settings, { clock: systemClock, metrics, logger: createLogger() }),
    ).toThrow('CIRCUIT_MAX_OPEN_MS (300000) must be at least CIRCUIT_OPEN_MS (600000)');
  });
});
