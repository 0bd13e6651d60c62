import { randomUUID } from 'node:crypto';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { describe, expect, it } from 'vitest';
import type { RawCall } from '../../src/events/raw-call.js';
import { loadEventSchemas } from '../../src/kafka/avro-schemas.js';
import { AvroSerde } from '../../src/kafka/avro-serde.js';
import { REGISTRY_URL } from '../support/platform.js';

interface AvroField {
  name: string;
}

/** RawCall as its first version had it: without the fields added since. */
function firstRawCallSchema(): string {
  const current = JSON.parse(loadEventSchemas().get('RawCall')?.text ?? '{}') as { fields: AvroField[] };
  const added = new Set(['callrail_event', 'voicemail', 'marketing']);
  return JSON.stringify({ ...current, fields: current.fields.filter((field) => !added.has(field.name)) });
}

const call: RawCall = {
  call_id: 'CAL1',
  tenant_id: 'tenant_demo',
  source_kind: 'callrail_call',
  source_name: null,
  callrail_event: 'post_call',
  callrail_company_id: 'COM1',
  customer_phone: '+15551234567',
  customer_name: 'Jane Doe',
  customer_email: null,
  customer_city: 'Los Angeles',
  customer_state: 'CA',
  duration_seconds: 180,
  answered: true,
  voicemail: false,
  recording_url: null,
  transcription: 'kitchen',
  source: 'Google Ads',
  tracking_number: null,
  start_time: 1_764_000_000_000,
  form_fields: {},
  marketing: { utm_source: 'google' },
  received_at: 1_764_000_001_000,
};

describe('Avro on the real schema registry', () => {
  it('lets every role register a new topic schema at once, as pods starting together do', async () => {
    const topics = Array.from({ length: 4 }, () => `race-${randomUUID()}`);
    for (const topic of topics) {
      const roles = Array.from({ length: 4 }, () => new AvroSerde({ url: REGISTRY_URL }));
      const ids = await Promise.all(roles.map((serde) => serde.register(topic, 'RawCall')));
      expect(new Set(ids).size).toBe(1);
    }
  });

  it('decodes a message written with an older RawCall schema, filling the new fields with defaults', async () => {
    const topic = `evolution-${randomUUID()}`;
    const registry = new SchemaRegistry({ host: REGISTRY_URL });
    const { id: oldId } = await registry.register(
      { type: SchemaType.AVRO, schema: firstRawCallSchema() },
      { subject: `${topic}-value` },
    );
    const { callrail_event: _e, voicemail: _v, marketing: _m, ...oldCall } = call;
    const oldMessage = await registry.encode(oldId, oldCall);

    const serde = new AvroSerde({ url: REGISTRY_URL });
    const newId = await serde.register(topic, 'RawCall');
    expect(newId).not.toBe(oldId);

    expect(await serde.decode('RawCall', oldMessage)).toEqual({
      ...call,
      callrail_event: null,
      voicemail: null,
      marketing: {},
    });
  });

  it('writes bytes that another Confluent client decodes to the same record', async () => {
    const topic = `roundtrip-${randomUUID()}`;
    const serde = new AvroSerde({ url: REGISTRY_URL });
    await serde.register(topic, 'RawCall');
    const bytes = serde.encode(topic, 'RawCall', call);
    const decoded = await new SchemaRegistry({ host: REGISTRY_URL }).decode(bytes);
    expect({ ...decoded }).toEqual(call);
  });

  it('refuses a schema change that would break readers of existing messages', async () => {
    const topic = `incompatible-${randomUUID()}`;
    const serde = new AvroSerde({ url: REGISTRY_URL });
    await serde.register(topic, 'RawCall');
    const current = JSON.parse(loadEventSchemas().get('RawCall')?.text ?? '{}') as { fields: object[] };
    const breaking = { ...current, fields: [...current.fields, { name: 'required_new', type: 'string' }] };
    const registry = new SchemaRegistry({ host: REGISTRY_URL });
    await expect(
      registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(breaking) },
        { subject: `${topic}-value` },
      ),
    ).rejects.toThrow();
  });

  it('refuses to encode a value that does not match the schema, naming the field', async () => {
    const topic = `invalid-${randomUUID()}`;
    const serde = new AvroSerde({ url: REGISTRY_URL });
    await serde.register(topic, 'RawCall');
    expect(() => serde.encode(topic, 'RawCall', { ...call, duration_seconds: 'long' })).toThrow(
      /duration_seconds/,
    );
  });
});
