import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRawCallsProducer, type RawCallsProducer } from '../../src/cli/raw-calls-producer.js';
import { DirectoryTenantSource } from '../../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../../src/config/tenants/tenant-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { OutboundGuard } from '../../src/outbound/outbound-guard.js';
import {
  type BackfillState,
  backfillStateFile,
  backfillStateSchema,
  freshBackfillState,
  runCallRailBackfill,
} from '../../src/producers/callrail-backfill/callrail-backfill.js';
import { CallRailListClient } from '../../src/producers/callrail-backfill/callrail-list-client.js';
import { StateFile } from '../../src/producers/resume/state-file.js';
import { type RunningLeadstream, startLeadstream } from '../../src/roles/runtime.js';
import { EnvSecretResolver } from '../../src/secrets/env-secret-resolver.js';
import { type CallRailApi, startCallRailApi } from '../emulators/callrail/calls-api.js';
import { type HubSpotEmulator, startHubSpotEmulator } from '../emulators/hubspot/emulator.js';
import { fixedAnalyzer } from '../support/fixed-analyzer.js';
import { isolatedSettings } from '../support/platform.js';
import { waitFor } from '../support/wait-for.js';

const TENANT = 'tenant_backfill_crm';
const ACCOUNT = 'ACC0002';
const API_KEY = 'callrail-delivery-key';
const HUBSPOT_TOKEN = 'pat-na1-backfill-token';
const CALLS = 25;
const PER_PAGE = 10;

/** A state file whose process dies on its nth write: Kafka acknowledged the page, the state never said so. */
class DyingStateFile extends StateFile<BackfillState> {
  private writes = 0;
  constructor(
    path: string,
    private readonly diesOnWrite: number,
  ) {
    super(path, backfillStateSchema);
  }
  override async write(state: BackfillState): Promise<void> {
    this.writes += 1;
    if (this.writes === this.diesOnWrite) throw new Error('killed before the state was written');
    await super.write(state);
  }
}

describe('backfilled CallRail calls reach the CRM once, even when a page is published twice', () => {
  const settings = isolatedSettings();
  const metrics = new Metrics({ processMetrics: false });
  let callrail: CallRailApi;
  let hubspot: HubSpotEmulator;
  let app: RunningLeadstream;
  let producer: RawCallsProducer;
  let outbound: OutboundGuard;

  beforeAll(async () => {
    callrail = await startCallRailApi({
      accountId: ACCOUNT,
      apiKey: API_KEY,
      calls: Array.from({ length: CALLS }, (_, i) => ({
        id: `CALD${String(i + 1).padStart(31, '0')}`,
        answered: true,
        duration: 120,
        customer_phone_number: `+1512555${String(1000 + i)}`,
        customer_name: `Backfilled Caller${i + 1}`,
        start_time: new Date(Date.parse('2026-11-02T09:00:00Z') + i * 600_000).toISOString(),
        // Answered calls CallRail has no transcript of: the backfill asked the list for it already.
        transcription: i % 5 === 0 ? null : 'Caller: we need a new kitchen',
      })),
    });
    hubspot = await startHubSpotEmulator({ portals: [{ token: HUBSPOT_TOKEN }] });
    const tenant = tenantConfigSchema.parse({
      tenant_id: TENANT,
      callrail: {
        signing_secret: 'unused-signing-token',
        account_id: ACCOUNT,
        api_key: 'secret:projects/p/secrets/delivery-callrail/versions/latest',
        api_base_url: callrail.baseUrl,
      },
      crm_config: {
        type: 'hubspot',
        base_url: hubspot.url,
        api_token: 'secret:projects/p/secrets/delivery-hubspot/versions/latest',
        duplicate_detection: { enabled: true, match_fields: ['phone'] },
        field_mappings: { phone: 'phone', firstname: 'customer_name_first', lastname: 'customer_name_last' },
      },
    });
    app = await startLeadstream(settings, ['enricher', 'mapper', 'delivery'], {
      tenants: DirectoryTenantSource.fromConfigs([tenant]),
      secrets: new EnvSecretResolver({
        LEADSTREAM_SECRET_DELIVERY_HUBSPOT: HUBSPOT_TOKEN,
        LEADSTREAM_SECRET_DELIVERY_CALLRAIL: API_KEY,
      }),
      analyzer: fixedAnalyzer,
      metrics,
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    });
    await waitFor('every role ready', () => (app.ready() ? true : undefined), 60_000);
    producer = await openRawCallsProducer(settings, createLogger({ level: 'silent' }), 'backfill-test');
    outbound = new OutboundGuard(settings.OUTBOUND_ALLOWED_HOSTS);
  });

  afterAll(async () => {
    await producer?.close();
    await outbound?.close();
    await app?.stop();
    await hubspot?.stop();
    await callrail?.close();
  });

  it('a run killed after page 2 was acknowledged, then resumed, leaves one contact and one call per call', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'backfill-crm-')), 'state.json');
    const list = new CallRailListClient({
      baseUrl: callrail.baseUrl,
      accountId: ACCOUNT,
      apiKey: API_KEY,
      outbound,
    });
    const from = freshBackfillState(
      {
        tenant_id: TENANT,
        account_id: ACCOUNT,
        topic: producer.topic,
        since: '2026-11-01T00:00:00.000Z',
        until: '2026-11-30T00:00:00.000Z',
      },
      PER_PAGE,
    );
    await expect(
      runCallRailBackfill({ list, publisher: producer.publisher, state: new DyingStateFile(path, 2), from }),
    ).rejects.toThrow('killed before the state was written');
    const left = JSON.parse(await readFile(path, 'utf8')) as BackfillState;
    expect(left).toMatchObject({ kind: 'calls', next_page: 2, published: { calls: PER_PAGE } });

    const state = backfillStateFile(path);
    const resumed = await runCallRailBackfill({ list, publisher: producer.publisher, state, from: left });
    expect(resumed.state).toMatchObject({ kind: 'done', published: { calls: CALLS } });

    // Page 2 went to raw-calls twice: 35 calls for the pipeline, 25 of them distinct.
    const delivered = async () =>
      (await metrics.crmPushes.get()).values
        .filter(({ labels }) => labels.status === 'success')
        .reduce((sum, { value }) => sum + value, 0);
    await waitFor(
      'all 35 commands delivered',
      async () => ((await delivered()) >= CALLS + PER_PAGE ? true : undefined),
      60_000,
    );
    expect(await delivered()).toBe(CALLS + PER_PAGE);
    expect(hubspot.contacts(HUBSPOT_TOKEN)).toHaveLength(CALLS);
    expect(hubspot.calls(HUBSPOT_TOKEN)).toHaveLength(CALLS);
    // Only the list was asked: the enricher looked up no transcript call by call (GET calls/{id}.json).
    expect(callrail.requests.filter(({ url }) => /\/calls\/[^/?]+\.json/.test(url))).toEqual([]);
    expect(callrail.requests.length).toBeGreaterThan(0);
  });
});
