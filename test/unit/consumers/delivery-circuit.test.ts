import { describe, expect, it } from 'vitest';
import { DirectoryTenantSource } from '../../../src/config/tenants/directory-tenant-source.js';
import { deliveryStage } from '../../../src/consumers/delivery.js';
import { CrmCircuitBreakers } from '../../../src/crm/circuit-breaker/crm-circuit-breakers.js';
import type { CrmAdapter } from '../../../src/crm/crm-adapter.js';
import { CrmAdapterRegistry } from '../../../src/crm/crm-adapter-registry.js';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import type { CrmCommand } from '../../../src/events/crm-command.js';
import { AvroSerde } from '../../../src/kafka/avro-serde.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { OutboundPolicy } from '../../../src/outbound/outbound-policy.js';
import { EnvSecretResolver } from '../../../src/secrets/env-secret-resolver.js';
import type { Clock } from '../../../src/time/clock.js';
import { emulatorOutbound } from '../../support/emulator-outbound.js';
import { failureOf } from '../../support/failure-of.js';
import { captureLogLines } from '../../support/log-capture.js';

const command: CrmCommand = {
  idempotency_key: 'k1',
  tenant_id: 'tenant_demo_kitchens',
  call_id: 'CAL123',
  crm_type: 'hubspot',
  operations: [],
  duplicate_detection: null,
  triggered_workflows: [],
  created_at: 0,
  contact_key: null,
};

/** A HubSpot that answers 503 until `recover()`, counting the deliveries that reached it. */
function flakyHubSpot() {
  let down = true;
  const adapter: CrmAdapter & { calls: number; recover(): void } = {
    type: 'hubspot',
    calls: 0,
    recover() {
      down = false;
    },
    async execute() {
      adapter.calls++;
      if (down) throw new LeadstreamError('crm_unavailable', 'HubSpot answered 503');
      return { outcomes: [{ ref: 'contact', object_type: 'contacts', id: '1', action: 'created' }] };
    },
  };
  return adapter;
}

async function deliveryWithCircuit(adapter: CrmAdapter) {
  let nowMs = Date.parse('2026-12-02T08:00:00Z');
  const clock: Clock = { now: () => new Date(nowMs) };
  const out = captureLogLines();
  const metrics = new Metrics({ processMetrics: false });
  const logger = createLogger({ destination: out.stream });
  const stage = deliveryStage({
    serde: new AvroSerde({ url: 'http://127.0.0.1:1' }),
    tenants: await DirectoryTenantSource.load('examples/tenants', OutboundPolicy.parse('127.0.0.1:8089')),
    adapters: new CrmAdapterRegistry([adapter]),
    secrets: new EnvSecretResolver({}),
    metrics,
    logger,
    outbound: emulatorOutbound,
    topics: { input: 'crm-commands' },
    circuits: new CrmCircuitBreakers({
      policy: { failureThreshold: 5, openMs: 15_000, maxOpenMs: 300_000 },
      clock,
      metrics,
      logger,
    }),
  });
  const advance = (ms: number) => {
    nowMs += ms;
  };
  return { stage, lines: out.lines, advance };
}

describe('delivery behind the circuit of the tenant CRM', () => {
  it('stops calling a CRM that failed five times in a row, and parks deliveries until the next probe', async () => {
    const hubspot = flakyHubSpot();
    const { stage, advance } = await deliveryWithCircuit(hubspot);
    for (let i = 0; i < 5; i++) await expect(stage.handle(command)).rejects.toThrow('503');
    advance(4_000);

    const error = await failureOf(stage.handle(command));

    expect(hubspot.calls).toBe(5);
    expect(error.type).toBe('crm_unavailable');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(11_000);
    expect(error.details.circuit).toBe('open');
  });

  it('delivers again once the probe finds the CRM back', async () => {
    const hubspot = flakyHubSpot();
    const { stage, lines, advance } = await deliveryWithCircuit(hubspot);
    for (let i = 0; i < 5; i++) await expect(stage.handle(command)).rejects.toThrow('503');
    hubspot.recover();
    advance(15_000);

    await expect(stage.handle(command)).resolves.toEqual([]);
    await expect(stage.handle(command)).resolves.toEqual([]);

    expect(hubspot.calls).toBe(7);
    expect(lines().map((line) => line.status)).toEqual(
      expect.arrayContaining(['circuit_open', 'circuit_half_open', 'circuit_closed']),
    );
  });
});
