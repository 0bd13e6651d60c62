import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Settings } from '../../src/config/settings.js';
import { isolatedCliEnvironment } from '../support/cli-environment.js';
import { KAFKA_BROKERS, REGISTRY_URL } from '../support/platform.js';
import { readTopic } from '../support/topic-reader.js';

const TENANT = 'tenant_import';
const RECORDS = 1_200;

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let errText = '';
  stderr.on('data', (chunk: Buffer) => {
    errText += chunk.toString();
  });
  const out = () => stdout.read()?.toString() ?? '';
  return { streams: { stdout, stderr, stdin: new PassThrough() }, out, err: () => errText, stderr };
}

function record(index: number): string {
  return JSON.stringify({
    call_id: `IMP${String(index).padStart(5, '0')}`,
    tenant_id: TENANT,
    source_kind: 'upstream_call',
    source_name: 'legacy-importer',
    customer_phone: `+1555${String(1_000_000 + index).slice(1)}`,
    duration_seconds: 60 + (index % 300),
    answered: true,
    start_time: '2026-11-20T15:00:00Z',
    received_at: 1_764_000_000_000 + index,
  });
}

describe('leadstream events publish, on the real broker', () => {
  let settings: Settings;
  let dir: string;
  const kafka = new Kafka({
    clientId: 'events-publish-test',
    brokers: KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();

  /** Records on the topic: the idempotent producer writes no control records, so offsets count them. */
  async function recordsOn(topic: string): Promise<number> {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) return 0;
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
  }

  beforeAll(async () => {
    settings = isolatedCliEnvironment();
    dir = await mkdtemp(join(tmpdir(), 'events-publish-'));
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  it('publishes nothing from a file with an invalid record or another tenant, naming each', async () => {
    const file = join(dir, 'bad.jsonl');
    await writeFile(
      file,
      [record(1), record(2).replace(TENANT, 'tenant_other'), '{"call_id": 3}', record(4)].join('\n'),
    );
    const { streams, err } = io();
    expect(await main(['events', 'publish', file, '--tenant', TENANT], streams)).toBe(1);
    expect(err()).toContain(
      `${file}:2: tenant_id: "tenant_other" is not the tenant published for (--tenant ${TENANT})`,
    );
    expect(err()).toContain(`${file}:3: call_id: expected string, got number`);
    expect(err()).toContain(`${file}: 2 invalid record(s): nothing published`);
    expect(await recordsOn(settings.TOPIC_RAW_CALLS)).toBe(0);
  });

  it('interrupted by SIGINT and run again, puts every record on raw-calls exactly once', async () => {
    const file = join(dir, 'calls.jsonl');
    await writeFile(file, `${Array.from({ length: RECORDS }, (_, i) => record(i + 1)).join('\n')}\n`);

    // Ctrl-C as soon as the first batch of 100 is acknowledged and its progress line is out.
    const first = io();
    first.stderr.once('data', () => process.emit('SIGINT'));
    expect(await main(['events', 'publish', file, '--tenant', TENANT, '--batch', '100'], first.streams)).toBe(
      130,
    );
    expect(first.err()).toContain('SIGINT: finishing the writes in flight and recording progress');
    expect(first.out()).toMatch(
      /^interrupted: 100 of 1200 records of .* published to raw-calls-\w+ for tenant_import, up to line 100;/,
    );
    const progress = JSON.parse(await readFile(`${file}.progress`, 'utf8'));
    expect(progress).toMatchObject({ last_line: 100, published: 100, total: RECORDS, done: false });
    expect(await recordsOn(settings.TOPIC_RAW_CALLS)).toBe(100);

    const second = io();
    expect(
      await main(['events', 'publish', file, '--tenant', TENANT, '--batch', '100'], second.streams),
    ).toBe(0);
    expect(second.err()).toContain('resuming after line 100 (100 published before)');
    expect(second.err()).toMatch(/published 1,200\/1,200 \(100%\)/);
    expect(second.out()).toMatch(
      /^published 1100 records of .* \(100 by an earlier run\); 1200\/1200 done\n$/,
    );

    // A third run finds the file published and sends nothing.
    const third = io();
    expect(await main(['events', 'publish', file, '--tenant', TENANT], third.streams)).toBe(0);
    expect(third.out()).toContain('already published (1200 records');

    expect(await recordsOn(settings.TOPIC_RAW_CALLS)).toBe(RECORDS);
    const registry = new SchemaRegistry({ host: REGISTRY_URL });
    const messages = await readTopic(settings.TOPIC_RAW_CALLS, RECORDS);
    const calls = await Promise.all(
      messages.map(async ({ key, value, headers }) => ({
        headers,
        key,
        call: (await registry.decode(value ?? Buffer.alloc(0))) as Record<string, unknown>,
      })),
    );
    expect(new Set(calls.map(({ call }) => call.call_id)).size).toBe(RECORDS);
    expect(new Set(calls.map(({ key }) => key))).toEqual(new Set([TENANT]));
    expect(calls.every(({ headers }) => headers['leadstream-producer'] === 'legacy-importer')).toBe(true);
    expect(calls.find(({ call }) => call.call_id === 'IMP00007')?.call).toMatchObject({
      tenant_id: TENANT,
      source_kind: 'upstream_call',
      source_name: 'legacy-importer',
      duration_seconds: 67,
      start_time: Date.parse('2026-11-20T15:00:00Z'),
    });
  });

  it('refuses to resume a file changed since its progress was recorded', async () => {
    const file = join(dir, 'changing.jsonl');
    await writeFile(file, `${record(5001)}\n`);
    const first = io();
    expect(await main(['events', 'publish', file, '--tenant', TENANT], first.streams)).toBe(0);
    await writeFile(file, `${record(5001)}\n${record(5002)}\n`);
    const second = io();
    expect(await main(['events', 'publish', file, '--tenant', TENANT], second.streams)).toBe(1);
    expect(second.err()).toContain('FILE has changed since: pass --restart');
  });
});
