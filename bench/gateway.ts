/**
 * The gateway's own cost per request, beside a bare fastify server in the same run: signed CallRail
 * webhooks through fastify's inject (no sockets, no Kafka: the publisher only counts), so the figures
 * are what leadstream adds to a request (raw bytes kept, shape limits, budgets, tenant lookup,
 * signature, payload reading) over parsing JSON and answering 202.
 *
 *   npx tsx bench/gateway.ts [requests=20000] [rounds=5]
 *
 * Rounds alternate between the two servers; each prints requests/s and latency percentiles.
 */
import { performance } from 'node:perf_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import { DirectoryTenantSource } from '../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../src/config/tenants/tenant-config.js';
import { createLogger } from '../src/observability/logger.js';
import { Metrics } from '../src/observability/metrics.js';
import { buildGateway } from '../src/producers/gateway/gateway.js';
import { EnvSecretResolver } from '../src/secrets/env-secret-resolver.js';
import { systemClock } from '../src/time/clock.js';
import { percentile } from './support/percentile.js';
import { sampleWebhook, signedHeaders } from './support/sample-webhook.js';

const requests = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 5);
const token = 'bench-signing-token';

const body = sampleWebhook({
  callId: 'CAL8154748ae6bd4e278a7cddd38a662f4f',
  tenantId: 'tenant_bench',
  phone: '+15551234567',
});
const headers = signedHeaders(body, token);

let published = 0;
const gateway = buildGateway({
  tenants: DirectoryTenantSource.fromConfigs([
    tenantConfigSchema.parse({
      tenant_id: 'tenant_bench',
      callrail: { company_ids: [], signing_secret: token },
      crm_config: { type: 'hubspot', api_token: 'unused' },
    }),
  ]),
  secrets: new EnvSecretResolver({}),
  publisher: {
    publish: async () => {
      published++;
    },
  },
  metrics: new Metrics({ processMetrics: false }),
  logger: createLogger({ level: 'silent' }),
  clock: systemClock,
  // One client sends everything: the budgets are checked on every request but never refuse.
  limits: {
    clientBudget: { requests: 1e9, perMs: 1_000 },
    tenantBudget: { requests: 1e9, perMs: 1_000 },
  },
});

const bare = Fastify();
bare.post('/v1/callrail/webhook', async (_request, reply) => reply.code(202).send({ accepted: true }));

async function round(name: string, app: FastifyInstance): Promise<void> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < requests; i++) {
    const sent = performance.now();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/callrail/webhook',
      headers,
      payload: body,
    });
    latencies.push(performance.now() - sent);
    if (response.statusCode !== 202) throw new Error(`${name}: ${response.statusCode} ${response.body}`);
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const us = (p: number) => `${(percentile(latencies, p) * 1000).toFixed(0)} µs`;
  console.log(
    `${name.padEnd(18)} ${(requests / seconds).toFixed(0).padStart(6)} requests/s, p50 ${us(50)}, p99 ${us(99)}`,
  );
}

await gateway.ready();
await bare.ready();
console.log(`${requests} signed webhooks per round, ${rounds} rounds alternating`);
for (let r = 0; r < rounds; r++) {
  await round('bare fastify', bare);
  await round('leadstream gateway', gateway);
}
const memory = process.memoryUsage();
console.log(
  `published ${published}; rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
await gateway.close();
await bare.close();
