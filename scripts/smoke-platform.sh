#!/usr/bin/env bash
# Smoke test of the local platform (scripts/platform.sh up) with the clients leadstream uses:
# kafkajs 2 (create topic, idempotent producer with acks=-1, transactional producer, consumer group)
# and @kafkajs/confluent-schema-registry against Apicurio's ccompat API (register, encode, decode,
# getLatestSchemaId), then a registry restart and the same id decoded again (KafkaSQL storage).
# Installs the clients into a throwaway directory (npm registry), not into the repo.
#   bash scripts/smoke-platform.sh [--no-restart]
set -euo pipefail
cd "$(dirname "$0")/.."

KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
REGISTRY_URL="${LEADSTREAM_REGISTRY_URL:-http://127.0.0.1:${REGISTRY_PORT:-8081}/apis/ccompat/v7}"
restart=1
[ "${1:-}" = "--no-restart" ] && restart=0

work="$(mktemp -d /tmp/leadstream-smoke.XXXXXX)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm i --silent --no-audit --no-fund kafkajs@2 @kafkajs/confluent-schema-registry@3 avsc@5 >/dev/null)

cat >"$work/smoke.js" <<'EOF'
const { Kafka, logLevel } = require('kafkajs');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');
const fs = require('fs');
const [phase, brokers, registryUrl, stateFile] = process.argv.slice(2);
const registry = new SchemaRegistry({ host: registryUrl });
const ok = (m) => console.log(`ok   ${m}`);
const fail = (m, e) => { console.log(`FAIL ${m}: ${e && e.stack ? e.stack : e}`); process.exitCode = 1; };
async function step(name, fn) { try { const r = await fn(); ok(name); return r; } catch (e) { fail(name, e); throw e; } }

async function first() {
  const run = Math.random().toString(36).slice(2, 8);
  const topic = `smoke-${run}`;
  const kafka = new Kafka({ clientId: 'smoke', brokers: brokers.split(','), logLevel: logLevel.ERROR });
  const schema = JSON.stringify({ type: 'record', name: 'Smoke', namespace: 'leadstream.smoke',
    fields: [{ name: 'id', type: 'string' }, { name: 'n', type: 'int' }] });
  const subject = `${topic}-value`;
  const { id } = await step(`register ${subject}`, () => registry.register({ type: SchemaType.AVRO, schema }, { subject }));
  const latest = await step('getLatestSchemaId', () => registry.getLatestSchemaId(subject));
  if (latest !== id) throw new Error(`getLatestSchemaId ${latest} != registered ${id}`);
  const again = await step('re-register same schema (whitespace/key order differ)', () =>
    registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(JSON.parse(schema), null, 2) }, { subject }));
  if (again.id !== id) throw new Error(`re-register gave id ${again.id}, expected ${id}`);
  const buf = await step('encode', () => registry.encode(id, { id: 'a', n: 1 }));
  const dec = await step('decode', () => registry.decode(buf));
  if (dec.id !== 'a' || dec.n !== 1) throw new Error(`decoded ${JSON.stringify(dec)}`);

  const admin = kafka.admin();
  await admin.connect();
  await step(`createTopics ${topic} (3 partitions)`, () => admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true }));
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const N = 30;
  const messages = [];
  for (let i = 0; i < N; i++) messages.push({ key: `k${i}`, value: await registry.encode(id, { id: `m${i}`, n: i }) });
  await step(`idempotent produce ${N} messages acks=-1`, () => producer.send({ topic, acks: -1, messages }));
  await producer.disconnect();

  const txProducer = kafka.producer({ transactionalId: `smoke-tx-${run}`, idempotent: true, maxInFlightRequests: 1 });
  await txProducer.connect();
  await step('transactional produce + commit', async () => {
    const tx = await txProducer.transaction();
    await tx.send({ topic, acks: -1, messages: [{ key: 'tx', value: await registry.encode(id, { id: 'tx', n: N }) }] });
    await tx.commit();
  });
  await txProducer.disconnect();

  const consumer = kafka.consumer({ groupId: `smoke-group-${run}`, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = new Set();
  await step(`consumer group reads ${N + 1} messages and decodes them`, () => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timeout: got ${seen.size}/${N + 1}`)), 30000);
    consumer.run({ eachMessage: async ({ message }) => {
      const v = await registry.decode(message.value);
      seen.add(v.id);
      if (seen.size === N + 1) { clearTimeout(timer); resolve(); }
    } }).catch(reject);
  }));
  await consumer.disconnect();
  const offsets = await step('committed group offsets', () => admin.fetchOffsets({ groupId: `smoke-group-${run}`, topics: [topic] }));
  const committed = offsets[0].partitions.reduce((s, p) => s + Number(p.offset), 0);
  if (committed < N + 1) throw new Error(`committed offsets sum ${committed} < ${N + 1}`);
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  fs.writeFileSync(stateFile, JSON.stringify({ id, subject, buf: buf.toString('base64') }));
}

async function second() {
  const { id, subject, buf } = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  const dec = await step(`again (after a restart unless --no-restart): decode id ${id}`, () => registry.decode(Buffer.from(buf, 'base64')));
  if (dec.id !== 'a') throw new Error(`decoded ${JSON.stringify(dec)}`);
  const latest = await step('again: getLatestSchemaId', () => registry.getLatestSchemaId(subject));
  if (latest !== id) throw new Error(`getLatestSchemaId ${latest} != ${id}`);
  await fetch(`${registryUrl}/subjects/${subject}`, { method: 'DELETE' });
  await fetch(`${registryUrl}/subjects/${subject}?permanent=true`, { method: 'DELETE' });
}

(phase === 'first' ? first() : second()).catch(() => { process.exitCode = 1; });
EOF

node "$work/smoke.js" first "$KAFKA_BROKERS" "$REGISTRY_URL" "$work/state.json"
[ "$restart" = 1 ] && bash scripts/platform.sh restart registry
node "$work/smoke.js" second "$KAFKA_BROKERS" "$REGISTRY_URL" "$work/state.json"
echo "smoke: platform OK"
