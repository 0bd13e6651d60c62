/**
 * End-to-end pipeline benchmark on the real local platform: signed CallRail webhooks posted to the
 * gateway over HTTP, through raw-calls, enricher, enriched-calls, mapper, crm-commands and delivery, to a
 * CRM port that only records arrival times (so the figures are leadstream's and Kafka's, not a CRM's).
 *
 *   npx tsx bench/pipeline.ts [leads=2000] [concurrency=32]
 *
 * Needs the platform (bash scripts/platform.sh up). Prints intake latency (webhook → 202), end-to-end
 * latency (202 → CRM adapter called), throughput, and memory.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { loadSettings } from '../src/config/settings.js';
import { DirectoryTenantSource } from '../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../src/config/tenants/tenant-config.js';
import type { CrmAdapter, DeliveryResult } from '../src/crm/crm-adapter.js';
import type { CrmCommand } from '../src/events/crm-command.js';
import { createLogger } from '../src/observability/logger.js';
import { startLeadstream } from '../src/roles/runtime.js';
import { percentile } from './support/percentile.js';
import { sampleWebhook, signedHeaders, UNLIMITED_GATEWAY_BUDGETS } from './support/sample-webhook.js';

const leads = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 32);
const token = 'bench-signing-token';
const tenants = Array.from({ length: 12 }, (_, i) =>
  tenantConfigSchema.parse({
    tenant_id: `tenant_bench_${i}`,
    callrail: { company_ids: [], signing_secret: token },
    crm_config: {
      type: 'hubspot',
      api_token: 'unused',
      field_mappings: {
        phone: 'customer_phone',
        firstname: 'customer_name_first',
        lastname: 'customer_name_last',
      },
      custom_properties: [{ name: 'ai_lead_score', value: 'ai_analysis.lead_score', type: 'number' }],
    },
  }),
);

const accepted = new Map<string, number>();
const delivered = new Map<string, number>();

class RecordingCrm implements CrmAdapter {
  readonly type = 'hubspot' as const;
  async execute(command: CrmCommand): Promise<DeliveryResult> {
    delivered.set(command.call_id, performance.now());
    return { outcomes: [] };
  }
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return ['p50', 'p90', 'p99', 'max']
    .map(
      (label, i) =>
        `${label} ${(i === 3 ? (sorted.at(-1) ?? 0) : percentile(sorted, [50, 90, 99][i] ?? 50)).toFixed(1)} ms`,
    )
    .join(', ');
}

const run = randomUUID().slice(0, 8);
const settings = loadSettings({
  ...process.env,
  TOPIC_RAW_CALLS: `bench-raw-${run}`,
  TOPIC_ENRICHED_CALLS: `bench-enriched-${run}`,
  TOPIC_CRM_COMMANDS: `bench-commands-${run}`,
  TOPIC_DEAD_LETTERS: `bench-dead-${run}`,
  KAFKA_CONSUMER_GROUP_PREFIX: `bench-${run}`,
  GATEWAY_HOST: '127.0.0.1',
  GATEWAY_PORT: '0',
  ...UNLIMITED_GATEWAY_BUDGETS,
  OPS_PORT: '0',
  LOG_LEVEL: 'silent',
});
const app = await startLeadstream(settings, ['gateway', 'enricher', 'mapper', 'delivery'], {
  tenants: DirectoryTenantSource.fromConfigs(tenants),
  crmAdapters: [new RecordingCrm()],
  logger: createLogger({ level: 'silent' }),
});
while (!app.ready()) await new Promise((resolve) => setTimeout(resolve, 100));

const intake: number[] = [];
let next = 0;
const started = performance.now();
async function worker(): Promise<void> {
  while (next < leads) {
    const i = next++;
    const body = sampleWebhook({
      callId: `CAL${run}${i}`,
      tenantId: `tenant_bench_${i % tenants.length}`,
      phone: `+1555${String(i).padStart(7, '0')}`,
    });
    const sent = performance.now();
    const response = await fetch(`${app.gatewayUrl}/v1/callrail/webhook`, {
      method: 'POST',
      headers: signedHeaders(body, token),
      body,
    });
    await response.arrayBuffer();
    if (response.status !== 202) throw new Error(`gateway answered ${response.status}`);
    const now = performance.now();
    intake.push(now - sent);
    accepted.set(`CAL${run}${i}`, now);
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const intakeDone = performance.now();
while (delivered.size < leads) await new Promise((resolve) => setTimeout(resolve, 20));
const finished = performance.now();

const endToEnd = [...delivered].map(([id, at]) => at - (accepted.get(id) ?? at));
const memory = process.memoryUsage();
console.log(
  `leads ${leads}, HTTP concurrency ${concurrency}, ${tenants.length} tenants, ${settings.TOPIC_PARTITIONS} partitions`,
);
console.log(
  `intake: ${(leads / ((intakeDone - started) / 1000)).toFixed(0)} webhooks/s accepted; 202 latency ${summary(intake)}`,
);
console.log(`pipeline: ${(leads / ((finished - started) / 1000)).toFixed(0)} leads/s delivered end to end`);
console.log(`end to end (202 → CRM adapter): ${summary(endToEnd)}`);
console.log(
  `memory: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
await app.stop();
