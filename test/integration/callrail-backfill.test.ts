import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openRawCallsProducer } from '../../src/cli/raw-calls-producer.js';
import type { Settings } from '../../src/config/settings.js';
import { createLogger } from '../../src/observability/logger.js';
import { OutboundGuard } from '../../src/outbound/outbound-guard.js';
import {
  backfillStateFile,
  freshBackfillState,
  runCallRailBackfill,
} from '../../src/producers/callrail-backfill/callrail-backfill.js';
import { CallRailListClient } from '../../src/producers/callrail-backfill/callrail-list-client.js';
import {
  type CallRailApi,
  type StoredCall,
  type StoredFormSubmission,
  startCallRailApi,
} from '../emulators/callrail/calls-api.js';
import { isolatedCliEnvironment } from '../support/cli-environment.js';
import { KAFKA_BROKERS, REGISTRY_URL } from '../support/platform.js';
import { readTopic } from '../support/topic-reader.js';

const TENANT = 'tenant_backfill';
const ACCOUNT = 'ACC0001';
const API_KEY = 'callrail-backfill-key';
const SINCE = '2026-11-01T00:00:00Z';
const UNTIL = '2026-11-30T23:59:59Z';

/** 620 calls in November (three pages of 250), one in October and one in December outside the window. */
function storedCalls(): StoredCall[] {
  const november = Array.from({ length: 620 }, (_, i) => ({
    id: `CAL${String(i + 1).padStart(32, '0')}`,
    answered: i % 3 !== 0,
    duration: i % 3 === 0 ? 0 : 60 + i,
    customer_phone_number: `+1555${String(10_000_000 + i).slice(1)}`,
    customer_name: `Caller ${i + 1}`,
    customer_city: 'Austin',
    customer_state: 'TX',
    start_time: new Date(Date.parse(SINCE) + i * 3_600_000).toISOString(),
    transcription: i % 3 === 0 ? null : `Caller: kitchen remodel number ${i + 1}`,
    company_id: 'COM1',
    source: 'Google Ads',
    utm_campaign: 'fall',
    voicemail: false,
    tracking_phone_number: '+15550000001',
  }));
  const outside = ['2026-10-31T23:00:00Z', '2026-12-01T01:00:00Z'].map((start_time, i) => ({
    id: `CALOUTSIDE${i}`,
    answered: true,
    duration: 30,
    customer_phone_number: '+15559990000',
    start_time,
    transcription: null,
  }));
  return [...november, ...outside];
}

function storedForms(): StoredFormSubmission[] {
  return Array.from({ length: 30 }, (_, i) => ({
    id: `FOR${String(i + 1).padStart(32, '0')}`,
    company_id: 'COM1',
    submitted_at: new Date(Date.parse(SINCE) + i * 86_400_000).toISOString(),
    form_data: { name: `Form Lead ${i + 1}`, email: `lead${i + 1}@example.com`, message: 'Need a new roof' },
    landing_page_url: 'https://example.com/roofing',
  }));
}

const EXPECTED_CALLS = 620;
const EXPECTED_FORMS = 30;

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

describe('leadstream backfill callrail, against the CallRail fake and the real broker', () => {
  let settings: Settings;
  let api: CallRailApi;
  let dir: string;
  const kafka = new Kafka({
    clientId: 'backfill-test',
    brokers: KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();

  async function recordsOn(topic: string): Promise<number> {
    if (!(await admin.listTopics()).includes(topic)) return 0;
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
  }

  async function decoded(topic: string, count: number) {
    const registry = new SchemaRegistry({ host: REGISTRY_URL });
    return Promise.all(
      (await readTopic(topic, count)).map(async ({ key, value, headers }) => ({
        key,
        headers,
        call: (await registry.decode(value ?? Buffer.alloc(0))) as Record<string, unknown>,
      })),
    );
  }

  beforeAll(async () => {
    api = await startCallRailApi({
      accountId: ACCOUNT,
      apiKey: API_KEY,
      calls: storedCalls(),
      formSubmissions: storedForms(),
    });
    dir = await mkdtemp(join(tmpdir(), 'backfill-'));
    const tenants = join(dir, 'tenants');
    await mkdir(tenants);
    await writeFile(
      join(tenants, `${TENANT}.json`),
      JSON.stringify({
        tenant_id: TENANT,
        callrail: {
          company_ids: ['COM1'],
          signing_secret: 'secret:projects/p/secrets/backfill-signing/versions/latest',
          account_id: ACCOUNT,
          api_key: 'secret:projects/p/secrets/backfill-callrail-key/versions/latest',
          api_base_url: api.baseUrl,
        },
        crm_config: {
          type: 'hubspot',
          api_token: 'secret:projects/p/secrets/backfill-hubspot/versions/latest',
          field_mappings: { phone: 'customer_phone' },
        },
      }),
    );
    settings = isolatedCliEnvironment({
      TENANT_CONFIG_DIR: tenants,
      LEADSTREAM_SECRET_BACKFILL_CALLRAIL_KEY: API_KEY,
    });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
    await api?.close();
  });

  it('--dry-run counts what it would publish and sends nothing', async () => {
    const state = join(dir, 'dry-run.json');
    const { streams, out } = io();
    const code = await main(
      [
        'backfill',
        'callrail',
        '--tenant',
        TENANT,
        '--since',
        SINCE,
        '--until',
        UNTIL,
        '--dry-run',
        '--state',
        state,
      ],
      streams,
    );
    expect(code).toBe(0);
    expect(out()).toBe(
      `dry run: would publish ${EXPECTED_CALLS} calls and ${EXPECTED_FORMS} form submissions of CallRail account ${ACCOUNT} for ${TENANT} ` +
        `to ${settings.TOPIC_RAW_CALLS}, since 2026-11-01T00:00:00.000Z until 2026-11-30T23:59:59.000Z, in 4 page requests; nothing sent\n`,
    );
    expect(await recordsOn(settings.TOPIC_RAW_CALLS)).toBe(0);
    await expect(readFile(state, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('interrupted by SIGINT and run again, publishes every call and form once, as the gateway maps them', async () => {
    const state = join(dir, 'state.json');
    const args = [
      'backfill',
      'callrail',
      '--tenant',
      TENANT,
      '--since',
      SINCE,
      '--until',
      UNTIL,
      '--state',
      state,
    ];
    api.reset();

    const first = io();
    // Ctrl-C once the first page is published and its progress line is out.
    first.stderr.once('data', () => process.emit('SIGINT'));
    expect(await main(args, first.streams)).toBe(130);
    expect(first.out()).toMatch(
      /^interrupted: 250 calls and 0 form submissions of CallRail account ACC0001 published/,
    );
    expect(JSON.parse(await readFile(state, 'utf8'))).toMatchObject({ kind: 'calls', next_page: 2 });
    expect(await recordsOn(settings.TOPIC_RAW_CALLS)).toBe(250);

    const second = io();
    expect(await main(args, second.streams)).toBe(0);
    expect(second.err()).toContain(`resuming at calls page 2 (${state})`);
    expect(second.err()).toMatch(/published 650\/650 \(100%\)/);
    expect(second.out()).toBe(
      `${EXPECTED_CALLS} calls and ${EXPECTED_FORMS} form submissions of CallRail account ${ACCOUNT} published to ${settings.TOPIC_RAW_CALLS} ` +
        `for ${TENANT}, since 2026-11-01T00:00:00.000Z until 2026-11-30T23:59:59.000Z\n`,
    );
    // Each page was asked for once over both runs (after the two one-record counts each run makes).
    const pages = api.requests
      .map(({ url }) => new URL(url, 'http://x').searchParams)
      .filter((q) => q.get('per_page') === '250');
    expect(pages.map((q) => q.get('page'))).toEqual(['1', '2', '3', '1']);
    expect(api.requests.every(({ authorization }) => authorization === `Token token="${API_KEY}"`)).toBe(
      true,
    );

    const third = io();
    expect(await main(args, third.streams)).toBe(0);
    expect(third.out()).toContain('this backfill is complete');

    const total = EXPECTED_CALLS + EXPECTED_FORMS;
    expect(await recordsOn(settings.TOPIC_RAW_CALLS)).toBe(total);
    const messages = await decoded(settings.TOPIC_RAW_CALLS, total);
    expect(new Set(messages.map(({ call }) => call.call_id)).size).toBe(total);
    expect(new Set(messages.map(({ key }) => key))).toEqual(new Set([TENANT]));
    expect(messages.filter(({ call }) => call.source_kind === 'callrail_form')).toHaveLength(EXPECTED_FORMS);
    expect(messages.every(({ call }) => call.source_name === 'callrail-backfill')).toBe(true);
    expect(messages.every(({ headers }) => headers['leadstream-producer'] === 'callrail-backfill')).toBe(
      true,
    );
    expect(messages.find(({ call }) => call.call_id === `CAL${'2'.padStart(32, '0')}`)?.call).toMatchObject({
      tenant_id: TENANT,
      source_kind: 'callrail_call',
      callrail_company_id: 'COM1',
      customer_phone: '+15550000001',
      customer_name: 'Caller 2',
      duration_seconds: 61,
      answered: true,
      transcription: 'Caller: kitchen remodel number 2',
      source: 'Google Ads',
      tracking_number: '+15550000001',
      start_time: Date.parse('2026-11-01T01:00:00Z'),
      marketing: { utm_campaign: 'fall' },
    });
    expect(messages.find(({ call }) => call.call_id === `FOR${'1'.padStart(32, '0')}`)?.call).toMatchObject({
      source_kind: 'callrail_form',
      callrail_event: 'form_submission',
      customer_name: 'Form Lead 1',
      customer_email: 'lead1@example.com',
      transcription: 'Need a new roof',
      marketing: { landing_page_url: 'https://example.com/roofing' },
    });
  });

  it('waits out 429s without Retry-After and goes on until every call is published', async () => {
    const limited = await startCallRailApi({
      accountId: ACCOUNT,
      apiKey: API_KEY,
      calls: storedCalls(),
      formSubmissions: storedForms(),
      budget: { requests: 2, windowMs: 400 },
    });
    // The budget alone bites only when pages come faster than its window, which a loaded machine
    // may not do; the account's first two answers are over-budget 429s whatever the pace.
    limited.fault({ kind: 'status', status: 429 }, 2);
    const own = isolatedCliEnvironment({ TENANT_CONFIG_DIR: settings.TENANT_CONFIG_DIR });
    const logger = createLogger({ level: 'silent' });
    const producer = await openRawCallsProducer(own, logger, 'backfill-test');
    const outbound = new OutboundGuard(own.OUTBOUND_ALLOWED_HOSTS);
    const waits: string[] = [];
    try {
      const list = new CallRailListClient({
        baseUrl: limited.baseUrl,
        accountId: ACCOUNT,
        apiKey: API_KEY,
        outbound,
        rateLimitBackoff: { baseMs: 100, maxMs: 400 },
        onWait: (reason) => waits.push(reason),
      });
      const stateFile = backfillStateFile(join(dir, 'limited.json'));
      const result = await runCallRailBackfill({
        list,
        publisher: producer.publisher,
        state: stateFile,
        from: freshBackfillState({
          tenant_id: TENANT,
          account_id: ACCOUNT,
          topic: producer.topic,
          since: SINCE,
          until: UNTIL,
        }),
      });
      expect(result.error).toBeUndefined();
      expect(result.state).toMatchObject({
        kind: 'done',
        published: { calls: EXPECTED_CALLS, form_submissions: EXPECTED_FORMS },
      });
    } finally {
      await producer.close();
      await outbound.close();
      await limited.close();
    }
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits[0]).toBe('CallRail 429: over the account budget');
    expect(await recordsOn(own.TOPIC_RAW_CALLS)).toBe(EXPECTED_CALLS + EXPECTED_FORMS);
  });
});
