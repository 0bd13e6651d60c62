import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DirectoryTenantSource,
  parseTenantFile,
} from '../../../src/config/tenants/directory-tenant-source.js';
import type { TenantConfig } from '../../../src/config/tenants/tenant-config.js';
import { deliveryStage } from '../../../src/consumers/delivery.js';
import { enricherStage } from '../../../src/consumers/enricher.js';
import { mapperStage } from '../../../src/consumers/mapper.js';
import { CrmAdapterRegistry } from '../../../src/crm/crm-adapter-registry.js';
import type { EnrichedCall } from '../../../src/events/enriched-call.js';
import { contactKeyOf } from '../../../src/identity/contact-key.js';
import { AvroSerde } from '../../../src/kafka/avro-serde.js';
import { buildCrmCommand } from '../../../src/mapping/build-command.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { EnvSecretResolver } from '../../../src/secrets/env-secret-resolver.js';
import { fixedClock } from '../../../src/time/clock.js';
import { emulatorOutbound } from '../../support/emulator-outbound.js';
import { captureLogLines } from '../../support/log-capture.js';

const guideCall = JSON.parse(
  readFileSync(new URL('../../fixtures/guide/enriched-call.json', import.meta.url), 'utf8'),
) as EnrichedCall;
const clock = fixedClock('2026-11-25T17:20:00Z');

function tenant(): TenantConfig {
  const { config, issues } = parseTenantFile(
    't.json',
    JSON.stringify({
      tenant_id: guideCall.call.tenant_id,
      crm_config: { type: 'hubspot', api_token: 'secret:x', field_mappings: { phone: 'customer_phone' } },
    }),
  );
  expect(issues).toEqual([]);
  if (!config) throw new Error('no config');
  return config;
}

const callWith = (
  callId: string,
  contact: { customer_phone?: string | null; customer_email?: string | null },
): EnrichedCall => ({ ...guideCall, call: { ...guideCall.call, call_id: callId, ...contact } });

const keyOf = (event: EnrichedCall) => buildCrmCommand(event, tenant(), clock).contact_key;

describe('the contact key the mapper puts on every command', () => {
  it('is the same for one caller whose number is written "+1 (512) 555-0100" and "512-555-0100"', () => {
    const first = keyOf(callWith('CAL1', { customer_phone: '+1 (512) 555-0100', customer_email: null }));
    const second = keyOf(
      callWith('CAL2', { customer_phone: '512-555-0100', customer_email: 'x@example.com' }),
    );
    expect(first).toBe(second);
    expect(first).toMatch(new RegExp(`^${guideCall.call.tenant_id}:phone:[0-9a-f]{32}$`));
    expect(first).not.toContain('5550100');
  });

  it('differs for another number, and for the same number at another tenant', () => {
    const facts = { phone: '512-555-0100', email: null, callId: 'CAL1' };
    expect(contactKeyOf({ ...facts, tenantId: 'acme' })).not.toBe(
      contactKeyOf({ ...facts, tenantId: 'other' }),
    );
    expect(contactKeyOf({ ...facts, tenantId: 'acme' })).not.toBe(
      contactKeyOf({ ...facts, phone: '512-555-0101', tenantId: 'acme' }),
    );
  });

  it('falls back to the e-mail whatever its case and spaces, then to the call id', () => {
    const byEmail = keyOf(
      callWith('CAL1', { customer_phone: 'anonymous', customer_email: ' Jane@Example.com ' }),
    );
    expect(byEmail).toBe(
      keyOf(callWith('CAL2', { customer_phone: null, customer_email: 'jane@example.com' })),
    );
    expect(byEmail).toMatch(/:email:/);
    const byCall = keyOf(callWith('CAL3', { customer_phone: null, customer_email: 'not an address' }));
    expect(byCall).toMatch(/:call:/);
    expect(byCall).not.toBe(keyOf(callWith('CAL4', { customer_phone: null, customer_email: null })));
  });

  it('gives one key to every national and international spelling of a number', () => {
    const digits = fc
      .array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 7 })
      .map((d) => d.join(''));
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 999 }), digits, (area, rest) => {
        const national = `${area}${rest}`;
        const keys = new Set(
          [
            national,
            `+1${national}`,
            `(${area}) ${rest.slice(0, 3)}-${rest.slice(3)}`,
            `1-${area}-${rest}`,
          ].map((phone) => contactKeyOf({ tenantId: 'acme', phone, email: null, callId: phone })),
        );
        expect(keys.size).toBe(1);
      }),
    );
  });

  it('orders each stage by it: enricher and mapper by the call, delivery by the command', () => {
    const event = callWith('CAL1', { customer_phone: '512-555-0100' });
    const command = buildCrmCommand(event, tenant(), clock);
    const serde = new AvroSerde({ url: 'http://127.0.0.1:9' });
    const tenants = DirectoryTenantSource.fromConfigs([tenant()]);
    const topics = { input: 'in', output: 'out' };
    const mapper = mapperStage({ serde, tenants, clock, topics });
    const enricher = enricherStage({
      serde,
      tenants,
      clock,
      topics,
      analyzer: { name: 'fixed', analyze: async () => event.ai_analysis },
    });
    expect(mapper.orderingKey?.(event)).toBe(command.contact_key);
    expect(enricher.orderingKey?.(event.call)).toBe(command.contact_key);
    const delivery = deliveryStage({
      serde,
      tenants,
      adapters: new CrmAdapterRegistry([]),
      secrets: new EnvSecretResolver({}),
      metrics: new Metrics({ processMetrics: false, tenantLabel: false }),
      logger: createLogger({ destination: captureLogLines().stream }),
      outbound: emulatorOutbound,
      topics,
    });
    expect(delivery.orderingKey?.(command)).toBe(command.contact_key);
    expect(delivery.orderingKey?.({ ...command, contact_key: null })).toBe(command.tenant_id);
  });
});
