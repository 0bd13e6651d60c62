import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { topicNames } from '../../src/config/settings.js';
import { DirectoryTenantSource } from '../../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../../src/config/tenants/tenant-config.js';
import { KafkaRecordLedger } from '../../src/crm/ledger/kafka-record-ledger.js';
import { EventProducer } from '../../src/kafka/event-producer.js';
import { createKafka } from '../../src/kafka/kafka-client.js';
import { ensureTopics } from '../../src/kafka/topics.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { type RunningLeadstream, startLeadstream } from '../../src/roles/runtime.js';
import { EnvSecretResolver } from '../../src/secrets/env-secret-resolver.js';
import { type HubSpotEmulator, startHubSpotEmulator } from '../emulators/hubspot/emulator.js';
import { defineGuideProperties } from '../emulators/hubspot/guide-properties.js';
import { callRailSignature } from '../support/callrail-signing.js';
import { fixedAnalyzer } from '../support/fixed-analyzer.js';
import { isolatedSettings, KAFKA_BROKERS } from '../support/platform.js';
import { GROUP_JOINING_TEST_TIMEOUT_MS, waitFor } from '../support/wait-for.js';

const HUBSPOT_TOKEN = 'pat-na1-ledger-token';
const SIGNING_TOKEN = 'callrail-ledger-signing-token';
const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

describe('the delivery ledger on the real broker', { timeout: GROUP_JOINING_TEST_TIMEOUT_MS }, () => {
  const kafka = createKafka({ brokers: KAFKA_BROKERS.split(','), clientId: 'ledger-test', logger });
  const producer = new EventProducer(kafka, new Metrics({ processMetrics: false }), {
    maxRecordBytes: 1_000_000,
    logger,
  });
  const ledgers: KafkaRecordLedger[] = [];
  afterAll(async () => {
    await Promise.all(ledgers.map((ledger) => ledger.stop()));
    await producer.disconnect();
  });

  async function ledgerOn(topic: string): Promise<KafkaRecordLedger> {
    const ledger = new KafkaRecordLedger({ kafka, producer, topic, groupPrefix: 'ledger-test', logger });
    ledgers.push(ledger);
    await ledger.start();
    return ledger;
  }

  it('hands what one process created, and later forgot, to a process started after it', async () => {
    const settings = isolatedSettings();
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(
      admin,
      {
        names: topicNames(settings),
        partitions: 3,
        replicationFactor: 1,
        maxRecordBytes: 1_000_000,
      },
      logger,
    );
    await admin.disconnect();
    await producer.connect();
    const topic = `${settings.TOPIC_CRM_COMMANDS}.ledger`;
    const first = await ledgerOn(topic);
    const deal = { tenantId: 'tenant_a', idempotencyKey: 'k1', ref: 'deal' };
    const task = { tenantId: 'tenant_a', idempotencyKey: 'k1', ref: 'task' };
    first.remember(deal, '9001');
    first.remember(task, 77);
    await first.settle('tenant_a', 'k1');
    first.forget(task);
    await first.settle('tenant_a', 'k1');

    const second = await ledgerOn(topic);
    await second.catchUp();

    expect(second.get(deal)).toBe('9001');
    expect(second.get(task)).toBeUndefined();
    expect(second.get({ ...deal, idempotencyKey: 'k2' })).toBeUndefined();
  });
});

/**
 * The crash the issue measured: a delivery creates the deal, fails on the task, and its process goes away
 * before the command commits. The command is delivered again by a new process, whose adapters remember
 * nothing: without a durable ledger it created a second deal.
 */
describe('a command redelivered to a new process after its first delivery created the deal', {
  timeout: GROUP_JOINING_TEST_TIMEOUT_MS,
}, () => {
  let hubspot: HubSpotEmulator;
  const running: RunningLeadstream[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.stop()));
  });
  afterAll(async () => {
    await hubspot?.stop();
  });

  function tenant(url: string) {
    return tenantConfigSchema.parse({
      tenant_id: 'tenant_ledger',
      callrail: {
        company_ids: ['12345'],
        signing_secret: 'secret:projects/p/secrets/ledger-callrail/versions/latest',
      },
      crm_config: {
        type: 'hubspot',
        base_url: url,
        api_token: 'secret:projects/p/secrets/ledger-hubspot/versions/latest',
        duplicate_detection: { enabled: true, match_fields: ['phone'] },
        pipeline_id: 'default',
        field_mappings: { phone: 'phone', firstname: 'customer_name_first' },
        workflow_triggers: { follow_up: { condition: 'true', actions: ['create_task'] } },
      },
    });
  }

  async function start(settings: ReturnType<typeof isolatedSettings>): Promise<RunningLeadstream> {
    const app = await startLeadstream(settings, ['gateway', 'enricher', 'mapper', 'delivery'], {
      tenants: DirectoryTenantSource.fromConfigs([tenant(hubspot.url)]),
      secrets: new EnvSecretResolver({
        LEADSTREAM_SECRET_LEDGER_HUBSPOT: HUBSPOT_TOKEN,
        LEADSTREAM_SECRET_LEDGER_CALLRAIL: SIGNING_TOKEN,
      }),
      analyzer: fixedAnalyzer,
      logger,
    });
    running.push(app);
    await waitFor('every role ready', () => (app.ready() ? true : undefined), 60_000);
    return app;
  }

  it('updates the deal it created instead of creating a second one', async () => {
    hubspot = await startHubSpotEmulator({ portals: [{ token: HUBSPOT_TOKEN }] });
    defineGuideProperties(hubspot.portal(HUBSPOT_TOKEN));
    // Long enough in process that the command is still unfinished when its process stops.
    const settings = isolatedSettings({ RETRY_MAX_ATTEMPTS: '20', RETRY_BASE_DELAY_MS: '1000' });
    const first = await start(settings);
    // Every task refused until the first process is gone, however late a loaded machine stops it: the
    // task can only be created by the second process, after the redelivery this test is about.
    hubspot.failNext(1_000, 503, { method: 'POST', path: /\/crm\/v3\/objects\/tasks/ });
    const body = JSON.stringify({
      resource_id: `CAL${randomUUID().slice(0, 8)}`,
      company_id: 12345,
      customer_phone_number: '+15551230000',
      customer_name: 'Jane Doe',
      duration: '120',
      answered: true,
      transcription: 'Caller: a new kitchen soon',
    });
    const accepted = await fetch(`${first.gatewayUrl}/v1/callrail/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', signature: callRailSignature(body, SIGNING_TOKEN) },
      body,
    });
    expect(accepted.status).toBe(202);
    await waitFor('the deal created and the task refused', () =>
      hubspot.deals(HUBSPOT_TOKEN).length === 1 &&
      hubspot.requestsTo('POST', /\/crm\/v3\/objects\/tasks/).length >= 1
        ? true
        : undefined,
    );
    await first.stop();
    running.splice(running.indexOf(first), 1);
    expect(hubspot.tasks(HUBSPOT_TOKEN)).toEqual([]);
    hubspot.clearFaults();

    await start(settings);
    await waitFor(
      'the task created by the second process',
      () => (hubspot.tasks(HUBSPOT_TOKEN).length >= 1 ? true : undefined),
      60_000,
    );

    expect(hubspot.deals(HUBSPOT_TOKEN)).toHaveLength(1);
    expect(hubspot.contacts(HUBSPOT_TOKEN)).toHaveLength(1);
    expect(hubspot.tasks(HUBSPOT_TOKEN)).toHaveLength(1);
  });
});
