/**
 * Call analysis benchmark, no network: the embedded analyzer on one core, over the labelled calls and
 * forms (test/fixtures/analysis, short: about 50 words each) and over a three-minute call (about 450
 * words, agent and caller), each analysis from the raw transcript as the enricher does it.
 *
 *   npx tsx bench/analysis.ts [seconds-per-set=10]
 *
 * Prints analyses per second, per-analysis latency percentiles and memory.
 */
import { performance } from 'node:perf_hooks';
import { EmbeddedAnalyzer } from '../src/analysis/embedded/embedded-analyzer.js';
import type { TenantConfig } from '../src/config/tenants/tenant-config.js';
import type { RawCall } from '../src/events/raw-call.js';
import { callFrom, loadLabelledCases, tenantWith } from '../test/unit/analysis/labelled-cases.js';
import { THREE_MINUTE_CALL } from './support/three-minute-call.js';

const secondsPerSet = Number(process.argv[2] ?? 10);

const labelled = loadLabelledCases();
const threeMinute = {
  call: callFrom({
    id: 'three-minute-call',
    transcript: [...THREE_MINUTE_CALL],
    duration_seconds: 184,
  }),
  tenant: tenantWith(),
};

interface Workload {
  name: string;
  items: ReadonlyArray<{ call: RawCall; tenant: TenantConfig }>;
}

const analyzer = new EmbeddedAnalyzer();

function run({ name, items }: Workload): void {
  for (let i = 0; i < 2_000; i += 1) {
    const item = items[i % items.length];
    if (item) analyzer.analyzeNow(item.call, item.tenant);
  }
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + secondsPerSet * 1000;
  let now = started;
  while (now < deadline) {
    const item = items[latencies.length % items.length];
    if (!item) break;
    analyzer.analyzeNow(item.call, item.tenant);
    const after = performance.now();
    latencies.push(after - now);
    now = after;
  }
  const elapsedS = (now - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  console.log(
    `${name}: ${latencies.length} analyses in ${elapsedS.toFixed(1)} s = ${Math.round(latencies.length / elapsedS)} analyses/s on one core; per analysis p50 ${pct(50).toFixed(3)} ms, p99 ${pct(99).toFixed(3)} ms`,
  );
}

const words = (text: string) => text.split(/\s+/).filter((word) => word !== '' && !word.endsWith(':')).length;
console.log(
  `labelled set: ${labelled.length} calls and forms; three-minute call: ${words(THREE_MINUTE_CALL.join('\n'))} words in ${THREE_MINUTE_CALL.length} turns`,
);
console.log(
  `three-minute call analysed as: ${JSON.stringify(analyzer.analyzeNow(threeMinute.call, threeMinute.tenant))}`,
);
run({ name: 'labelled set', items: labelled });
run({ name: 'three-minute call', items: [threeMinute] });
const memory = process.memoryUsage();
console.log(
  `memory: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
