import { randomUUID } from 'node:crypto';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { describe, expect, it } from 'vitest';
import { DirectoryTenantSource, parseTenantFile } from '../../src/config/tenants/directory-tenant-source.js';
import { deliveryStage } from '../../src/consumers/delivery.js';
import type { CrmAdapter } from '../../src/crm/crm-adapter.js';
import { CrmAdapterRegistry } from '../../src/crm/crm-adapter-registry.js';
import { LeadstreamError } from '../../src/errors/leadstream-error.js';
import type { CrmCommand } from '../../src/events/crm-command.js';
import { asCrmCommand } from '../../src/events/decoded-events.js';
import type { RawCall } from '../../src/events/raw-call.js';
import { unknownCall } from '../../src/events/raw-call.js';
import { type EventSchemaName, loadEventSchemas } from '../../src/kafka/avro-schemas.js';
import { AvroSerde } from '../../src/kafka/avro-serde.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { EnvSecretResolver } from '../../src/secrets/env-secret-resolver.js';
import { emulatorOutbound } from '../support/emulator-outbound.js';
import { captureLogLines } from '../support/log-capture.js';
import { REGISTRY_URL } from '../support/platform.js';

interface AvroField {
  name: string;
  type: unknown;
}
interface AvroRecord {
  fields: AvroField[];
}
interface AvroEnum {
  type: 'enum';
  symbols: string[];
  default?: string;
}

const current = (name: EventSchemaName) =>
  JSON.parse(loadEventSchemas().get(name)?.text ?? '{}') as AvroRecord;

/** The schema with one enum field's type replaced, as another version of leadstream would have it. */
function withEnum(name: EventSchemaName, field: string, change: (type: AvroEnum) => AvroEnum): AvroRecord {
  const schema = current(name);
  return {
    ...schema,
    fields: schema.fields.map((f) => (f.name === field ? { ...f, type: change(f.type as AvroEnum) } : f)),
  };
}

const TENANT = 'tenant_evolution';

const command: CrmCommand = {
  idempotency_key: 'k1',
  tenant_id: TENANT,
  call_id: 'CAL1',
  crm_type: 'hubspot',
  operations: [
    {
      ref: 'contact',
      kind: 'upsert_contact',
      object_type: 'contacts',
      payload_json: '{"properties":{}}',
      link_to: null,
      action: null,
    },
  ],
  duplicate_detection: null,
  triggered_workflows: [],
  created_at: 1_764_000_000_000,
  contact_key: `${TENANT}:phone:0123456789abcdef0123456789abcdef`,
  lead_summary: null,
};

function deliveryWith(adapter: CrmAdapter) {
  const { config } = parseTenantFile(
    't.json',
    JSON.stringify({ tenant_id: TENANT, crm_config: { type: 'hubspot', api_token: 'secret:x' } }),
  );
  if (!config) throw new Error('no tenant');
  const serde = new AvroSerde({ url: REGISTRY_URL });
  const stage = deliveryStage({
    serde,
    tenants: DirectoryTenantSource.fromConfigs([config]),
    adapters: new CrmAdapterRegistry([adapter]),
    secrets: new EnvSecretResolver({}),
    metrics: new Metrics({ processMetrics: false, tenantLabel: false }),
    logger: createLogger({ destination: captureLogLines().stream }),
    outbound: emulatorOutbound,
    topics: { input: 'crm-commands' },
  });
  return { serde, stage };
}

const delivered: CrmCommand[] = [];
const recordingHubspot: CrmAdapter = {
  type: 'hubspot',
  async execute(received) {
    delivered.push(received);
    return { outcomes: [] };
  },
};

describe('CrmCommand versions on the real schema registry', () => {
  it('decodes a command written before contact_key and CrmType "unknown" existed, with contact_key null', async () => {
    const topic = `crm-before-contact-key-${randomUUID()}`;
    const before = withEnum('CrmCommand', 'crm_type', ({ default: _d, ...type }) => ({
      ...type,
      symbols: type.symbols.filter((symbol) => symbol !== 'unknown'),
    }));
    before.fields = before.fields.filter((field) => field.name !== 'contact_key');
    const registry = new SchemaRegistry({ host: REGISTRY_URL });
    const { id: oldId } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(before) },
      { subject: `${topic}-value` },
    );
    const { contact_key: _k, ...oldCommand } = command;
    const oldMessage = await registry.encode(oldId, oldCommand);

    const { serde, stage } = deliveryWith(recordingHubspot);
    // BACKWARD compatibility, as every leadstream subject has: the new version is accepted.
    expect(await serde.register(topic, 'CrmCommand')).not.toBe(oldId);
    const decoded = await stage.decode(oldMessage);
    expect(decoded).toEqual({ ...command, contact_key: null });
    expect(stage.orderingKey?.(decoded)).toBe(TENANT);
    await stage.handle(decoded);
    expect(delivered.at(-1)?.call_id).toBe('CAL1');
  });

  it('reads a CRM type added by a newer mapper as "unknown", which delivery fails as retryable unknown_crm_type, not a serde error', async () => {
    const topic = `crm-newer-type-${randomUUID()}`;
    const { serde, stage } = deliveryWith(recordingHubspot);
    await serde.register(topic, 'CrmCommand');
    const newer = withEnum('CrmCommand', 'crm_type', (type) => ({
      ...type,
      symbols: [...type.symbols, 'freshsales'],
    }));
    const registry = new SchemaRegistry({ host: REGISTRY_URL });
    const { id: newerId } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(newer) },
      { subject: `${topic}-value` },
    );
    const message = await registry.encode(newerId, { ...command, crm_type: 'freshsales' });

    const decoded = asCrmCommand(await serde.decode('CrmCommand', message));
    expect(decoded).toEqual({ ...command, crm_type: 'unknown' });

    const before = delivered.length;
    const failure = await stage.handle(decoded).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(LeadstreamError);
    expect(failure).toMatchObject({ type: 'unknown_crm_type', retryable: true });
    expect(delivered.length).toBe(before);
  });

  it('reads an intake added by a newer gateway as source_kind "unknown"', async () => {
    const topic = `raw-newer-kind-${randomUUID()}`;
    const serde = new AvroSerde({ url: REGISTRY_URL });
    await serde.register(topic, 'RawCall');
    const newer = withEnum('RawCall', 'source_kind', (type) => ({
      ...type,
      symbols: [...type.symbols, 'chat_widget'],
    }));
    const registry = new SchemaRegistry({ host: REGISTRY_URL });
    const { id: newerId } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(newer) },
      { subject: `${topic}-value` },
    );
    const call = unknownCall({ call_id: 'CHAT1', tenant_id: TENANT, received_at: 1_764_000_000_000 });
    const message = await registry.encode(newerId, { ...call, source_kind: 'chat_widget' });
    const decoded = (await serde.decode('RawCall', message)) as RawCall;
    expect(decoded).toEqual({ ...call, source_kind: 'unknown' });
  });
});
