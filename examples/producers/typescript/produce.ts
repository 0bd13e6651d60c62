/**
 * Publishes one call to leadstream's raw-calls topic, as docs/producing-events.md says: key = tenant_id,
 * value = RawCall in the Confluent wire format under subject <topic>-value, acks=all, and the headers
 * leadstream reads. Prints the call_id it sent.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 SCHEMA_REGISTRY_URL=http://127.0.0.1:8081/apis/ccompat/v7 \
 *   TENANT_ID=tenant_demo_kitchens npx tsx examples/producers/typescript/produce.ts
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';

const PRODUCER_NAME = 'example-typescript-producer';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
};

const brokers = env('KAFKA_BROKERS', '127.0.0.1:9092').split(',');
const registryUrl = env('SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8081/apis/ccompat/v7');
const topic = env('TOPIC', 'raw-calls');
const tenantId = env('TENANT_ID');
// Stable across retries and reruns: with tenant_id, the idempotency key. A real producer uses its own id.
const callId = env('CALL_ID', `example-ts-${randomUUID()}`);
const schemaFile = env(
  'SCHEMA_FILE',
  new URL('../../../schemas/avro/RawCall.avsc', import.meta.url).pathname,
);

// A phone call this producer tracked; what it does not know is null, maps are empty when it has nothing.
const now = Date.now();
const call = {
  call_id: callId,
  tenant_id: tenantId,
  source_kind: 'upstream_call',
  source_name: PRODUCER_NAME,
  callrail_event: null,
  callrail_company_id: null,
  customer_phone: '+15125550143',
  customer_name: 'Jordan Rivera',
  customer_email: 'jordan.rivera@example.com',
  customer_city: 'Austin',
  customer_state: 'TX',
  duration_seconds: 212,
  answered: true,
  voicemail: false,
  recording_url: null,
  transcription:
    "Hi, we'd like a quote to remodel our kitchen, new cabinets and countertops. We'd like to start next month, budget around 40 thousand.",
  source: null,
  tracking_number: '+15125550100',
  start_time: now - 5 * 60_000,
  form_fields: {},
  marketing: { utm_source: 'example', utm_medium: 'cpc' },
  received_at: now,
};

const registry = new SchemaRegistry({ host: registryUrl });
const { id } = await registry.register(
  { type: SchemaType.AVRO, schema: readFileSync(schemaFile, 'utf8') },
  { subject: `${topic}-value` },
);
const value = await registry.encode(id, call);

const kafka = new Kafka({ clientId: PRODUCER_NAME, brokers, logLevel: logLevel.WARN });
// Idempotent: the client's own retries never write the record twice.
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();
try {
  await producer.send({
    topic,
    acks: -1,
    messages: [
      {
        key: tenantId,
        value,
        headers: { 'leadstream-producer': PRODUCER_NAME, 'leadstream-correlation-id': randomUUID() },
      },
    ],
  });
} finally {
  await producer.disconnect();
}
console.log(callId);
