/**
 * Mapping benchmark, no Kafka: every guide configuration (test/fixtures/guide) applied to varied calls
 * on one core, as the mapper does per message (mapping view, compiled mapping from the cache, payload
 * JSON). Also the cost of compiling a configuration once, which happens per tenant at load.
 *
 *   npx tsx bench/mapping.ts [calls=200000]
 *
 * Prints calls mapped per second, per-call latency percentiles and memory.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseTenantFile } from '../src/config/tenants/directory-tenant-source.js';
import type { TenantConfig } from '../src/config/tenants/tenant-config.js';
import type { EnrichedCall } from '../src/events/enriched-call.js';
import { buildCrmCommand } from '../src/mapping/build-command.js';
import { compileMapping } from '../src/mapping/compile-mapping.js';
import { fixedClock } from '../src/time/clock.js';

const calls = Number(process.argv[2] ?? 200_000);
const directory = new URL('../test/fixtures/guide/', import.meta.url).pathname;
const baseCall = JSON.parse(readFileSync(join(directory, 'enriched-call.json'), 'utf8')) as EnrichedCall;

const tenants: TenantConfig[] = readdirSync(directory)
  .filter((name) => name.endsWith('.json') && name !== 'enriched-call.json')
  .map((name) => {
    const fixture = JSON.parse(readFileSync(join(directory, name), 'utf8')) as { crm_config: unknown };
    const parsed = parseTenantFile(
      name,
      JSON.stringify({ tenant_id: `tenant_${name}`, crm_config: fixture.crm_config }),
    );
    if (!parsed.config) throw new Error(`${name}: ${JSON.stringify(parsed.issues)}`);
    return parsed.config;
  });

const NAMES = ['JANE DOE', 'Mary Ann Smith', 'WIRELESS CALLER', 'Doe, John', 'Ana de la Cruz', null];
const PHONES = ['(512) 555-0143', '+1 415 555 2671', '5125550199', null];
const TYPES = ['kitchen', 'bathroom', 'whole_home', 'addition', 'unknown'];
const TIMELINES = ['immediate', '1-3_months', '3-6_months', '6+_months', 'unknown'] as const;
const variants: EnrichedCall[] = Array.from({ length: 240 }, (_, i) => ({
  call: {
    ...baseCall.call,
    call_id: `CAL${i}`,
    customer_name: NAMES[i % NAMES.length] ?? null,
    customer_phone: PHONES[i % PHONES.length] ?? null,
    customer_email: i % 3 === 0 ? `Lead${i}@Example.com` : null,
  },
  ai_analysis: {
    ...baseCall.ai_analysis,
    project_type: TYPES[i % TYPES.length] ?? 'unknown',
    timeline: TIMELINES[i % TIMELINES.length] ?? 'unknown',
    lead_score: (i * 37) % 101,
  },
  enriched_at: baseCall.enriched_at,
}));

const compileRounds = 2_000;
let started = performance.now();
for (let i = 0; i < compileRounds; i += 1) {
  // A fresh copy is a new configuration object: the cache does not hold it, so this is a real compile.
  const tenant = tenants[i % tenants.length];
  if (tenant) compileMapping(structuredClone(tenant.crm_config));
}
const compileMs = (performance.now() - started) / compileRounds;

const clock = fixedClock('2026-11-25T17:20:00Z');
for (let i = 0; i < 20_000; i += 1)
  buildCrmCommand(
    variants[i % variants.length] as EnrichedCall,
    tenants[i % tenants.length] as TenantConfig,
    clock,
  );

const latencies = new Float64Array(calls);
let operations = 0;
started = performance.now();
for (let i = 0; i < calls; i += 1) {
  const t0 = performance.now();
  const command = buildCrmCommand(
    variants[i % variants.length] as EnrichedCall,
    tenants[i % tenants.length] as TenantConfig,
    clock,
  );
  latencies[i] = performance.now() - t0;
  operations += command.operations.length;
}
const elapsedS = (performance.now() - started) / 1000;
latencies.sort();
const pct = (p: number) => (latencies[Math.min(calls - 1, Math.floor((p / 100) * calls))] ?? 0) * 1000;
const memory = process.memoryUsage();
console.log(`configurations: ${tenants.length} (every guide block), call variants: ${variants.length}`);
console.log(`compile one configuration: ${compileMs.toFixed(3)} ms`);
console.log(
  `mapped: ${calls} calls in ${elapsedS.toFixed(2)} s = ${Math.round(calls / elapsedS)} calls/s on one core (${operations} operations)`,
);
console.log(
  `per call: p50 ${pct(50).toFixed(1)} µs, p99 ${pct(99).toFixed(1)} µs, p99.9 ${pct(99.9).toFixed(1)} µs`,
);
console.log(
  `memory: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
