import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryTenantSource } from '../../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../../src/config/tenants/tenant-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { type RunningLeadstream, startLeadstream } from '../../src/roles/runtime.js';
import { EnvSecretResolver } from '../../src/secrets/env-secret-resolver.js';
import { type HubSpotEmulator, startHubSpotEmulator } from '../emulators/hubspot/emulator.js';
import { defineGuideProperties } from '../emulators/hubspot/guide-properties.js';
import { isolatedSettings } from '../support/platform.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The shipped Grafana dashboard against a real Prometheus (Debian's `prometheus` package, installed by
 * scripts/ops-tools-prometheus.sh) scraping a running pipeline: every panel's query must be accepted and
 * return data while leads flow. The traffic includes what the failure panels show: 429s, a tenant whose
 * mapping names a property HubSpot lacks (dead letters), an unreachable LLM endpoint (fallbacks), and a
 * request budget small enough to make deliveries wait.
 */

const DASHBOARD = resolve('helm/files/dashboards/leadstream-overview.json');
const RULES = resolve('helm/files/prometheus-rules.yaml');
const HUBSPOT_TOKEN = 'pat-na1-dashboard-token';
const OK_TENANT = 'tenant_dash_ok';
const BROKEN_TENANT = 'tenant_dash_broken';

const hasPrometheus = spawnSync('prometheus', ['--version']).status === 0;

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
}

/** Grafana's macros, as Grafana would fill them for a short range scraped every second. */
function asPromQl(expr: string): string {
  return expr.replaceAll('$__rate_interval', '20s').replaceAll('$__range', '5m');
}

function panelQueries(): Array<{ panel: string; query: string }> {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] };
  return dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel: panel.title, query: asPromQl(target.expr) })),
  );
}

function tenant(tenantId: string, hubspotUrl: string, extraProperty?: string) {
  return tenantConfigSchema.parse({
    tenant_id: tenantId,
    forms: { allowed_origins: ['https://www.example-remodeling.com'] },
    analysis: { llm: { base_url: 'http://127.0.0.1:1/v1', model: 'dashboard-test', timeout_ms: 1000 } },
    crm_config: {
      type: 'hubspot',
      base_url: hubspotUrl,
      api_token: 'secret:projects/p/secrets/dash-hubspot/versions/latest',
      requests_per_ten_seconds: 20,
      duplicate_detection: { enabled: true, match_fields: ['email'] },
      field_mappings: { email: 'email', firstname: 'customer_name_first', lastname: 'customer_name_last' },
      custom_properties: [
        { name: 'lead_source', value: 'source', type: 'string' },
        ...(extraProperty ? [{ name: extraProperty, value: 'ai_analysis.lead_score', type: 'number' }] : []),
      ],
    },
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

interface QueryAnswer {
  status: 'success' | 'error';
  error?: string;
  data?: { result: unknown[] };
}

describe.skipIf(!hasPrometheus && !process.env.CI)('the Grafana dashboard on a real Prometheus', () => {
  const settings = isolatedSettings({ CONSUMER_LAG_INTERVAL_MS: '1000' });
  const workDir = mkdtempSync(join(tmpdir(), 'leadstream-prometheus-'));
  let hubspot: HubSpotEmulator;
  let app: RunningLeadstream;
  let prometheus: ChildProcess;
  let prometheusUrl: string;
  let sending = true;
  let traffic: Promise<void>;

  async function query(promql: string): Promise<QueryAnswer> {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    return (await response.json()) as QueryAnswer;
  }

  async function postLead(tenantId: string, n: number): Promise<void> {
    await fetch(`${app.gatewayUrl}/v1/forms/${tenantId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://www.example-remodeling.com' },
      body: JSON.stringify({
        submission_id: `${tenantId}-${n}`,
        fields: { name: `Jane Doe${n}`, email: `jane${n}@example.com`, message: 'a new kitchen soon' },
      }),
    });
  }

  beforeAll(async () => {
    hubspot = await startHubSpotEmulator({ portals: [{ token: HUBSPOT_TOKEN }] });
    defineGuideProperties(hubspot.portal(HUBSPOT_TOKEN));
    app = await startLeadstream(settings, ['gateway', 'enricher', 'mapper', 'delivery'], {
      tenants: DirectoryTenantSource.fromConfigs([
        tenant(OK_TENANT, hubspot.url),
        tenant(BROKEN_TENANT, hubspot.url, 'no_such_property'),
      ]),
      secrets: new EnvSecretResolver({ LEADSTREAM_SECRET_DASH_HUBSPOT: HUBSPOT_TOKEN }),
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    });
    await waitFor('every role ready', () => (app.ready() ? true : undefined), 60_000);

    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    const config = join(workDir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: [${JSON.stringify(RULES)}]`,
        'scrape_configs:',
        '  - job_name: leadstream',
        `    static_configs: [{ targets: [${JSON.stringify(new URL(app.opsUrl).host)}] }]`,
      ].join('\n'),
    );
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(workDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    await waitFor(
      'Prometheus ready',
      async () => ((await fetch(`${prometheusUrl}/-/ready`).catch(() => undefined))?.ok ? true : undefined),
      60_000,
    );

    traffic = (async () => {
      for (let n = 0; sending; n++) {
        await postLead(OK_TENANT, n);
        if (n % 10 === 0) await postLead(BROKEN_TENANT, n);
        if (n === 5) hubspot.rateLimitNext(2);
        await sleep(150);
      }
    })();
  });

  afterAll(async () => {
    sending = false;
    await traffic;
    prometheus?.kill('SIGTERM');
    await app?.stop();
    await hubspot?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('loads the chart rules without error', async () => {
    const response = await fetch(`${prometheusUrl}/api/v1/rules`);
    const rules = (await response.json()) as { data: { groups: Array<{ rules: unknown[] }> } };
    expect(rules.data.groups.flatMap((group) => group.rules)).toHaveLength(7);
  });

  it('answers every panel query with data while leads flow', { timeout: 180_000 }, async () => {
    await waitFor(
      'dead letters, 429s and deliveries scraped',
      async () => {
        const answer = await query(
          'leadstream_dead_letters_total and on() leadstream_crm_rate_limited_total and on() leadstream_crm_pushes_total{status="success"}',
        );
        return (answer.data?.result.length ?? 0) > 0 ? true : undefined;
      },
      120_000,
    );
    // A series needs two samples inside a rate window, and some appear only once their event happened
    // (a wait for the request budget, say): each query gets until the deadline to return data.
    const deadline = Date.now() + 60_000;
    const empty: string[] = [];
    for (const { panel, query: promql } of panelQueries()) {
      for (;;) {
        const answer = await query(promql);
        expect(answer.error, `${panel}: ${promql}`).toBeUndefined();
        if ((answer.data?.result.length ?? 0) > 0) break;
        if (Date.now() > deadline) {
          empty.push(`${panel}: ${promql}`);
          break;
        }
        await sleep(1_000);
      }
    }
    expect(empty).toEqual([]);
  });
});
