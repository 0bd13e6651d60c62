/**
 * The embedded analyzer of this checkout against the one of another commit, in one process taking turns,
 * so the machine's drift (other work, a noisy neighbour) falls on both alike: each round analyses for a
 * slice of time with one analyzer, then the other, over the labelled set and over the three-minute call of
 * bench/analysis.ts. The other commit is checked out into a temporary git worktree sharing node_modules.
 *
 *   npx tsx bench/analysis-against.ts <commit> [rounds=15] [slice-ms=400]
 *
 * Prints, per workload, each analyzer's median analyses/s over the rounds and the median of the rounds'
 * ratios (this checkout / the other).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { TenantConfig } from '../src/config/tenants/tenant-config.js';
import type { AiAnalysis } from '../src/events/ai-analysis.js';
import type { RawCall } from '../src/events/raw-call.js';
import { THREE_MINUTE_CALL } from './support/three-minute-call.js';

interface Analyzer {
  analyzeNow(call: RawCall, tenant: Pick<TenantConfig, 'analysis'>): AiAnalysis;
}
interface Item {
  call: RawCall;
  tenant: TenantConfig;
}
interface Side {
  name: string;
  analyzer: Analyzer;
  labelled: readonly Item[];
  threeMinute: Item;
}

const [commit, roundsArg = '15', sliceArg = '400'] = process.argv.slice(2);
if (commit === undefined) {
  console.error('usage: npx tsx bench/analysis-against.ts <commit> [rounds=15] [slice-ms=400]');
  process.exit(2);
}
const rounds = Number(roundsArg);
const sliceMs = Number(sliceArg);
const here = resolve(import.meta.dirname, '..');

async function sideAt(root: string, name: string): Promise<Side> {
  const url = (path: string) => pathToFileURL(join(root, path)).href;
  const { EmbeddedAnalyzer } = (await import(url('src/analysis/embedded/embedded-analyzer.ts'))) as {
    EmbeddedAnalyzer: new () => Analyzer;
  };
  const cases = (await import(url('test/unit/analysis/labelled-cases.ts'))) as {
    loadLabelledCases: () => Item[];
    callFrom: (spec: { id: string; transcript: string[]; duration_seconds: number }) => RawCall;
    tenantWith: () => TenantConfig;
  };
  return {
    name,
    analyzer: new EmbeddedAnalyzer(),
    labelled: cases.loadLabelledCases(),
    threeMinute: {
      call: cases.callFrom({
        id: 'three-minute-call',
        transcript: [...THREE_MINUTE_CALL],
        duration_seconds: 184,
      }),
      tenant: cases.tenantWith(),
    },
  };
}

/** Analyses a second over one slice. */
function slice(analyzer: Analyzer, items: readonly Item[]): number {
  const started = performance.now();
  const deadline = started + sliceMs;
  let done = 0;
  let now = started;
  while (now < deadline) {
    const item = items[done % items.length] as Item;
    analyzer.analyzeNow(item.call, item.tenant);
    done += 1;
    now = performance.now();
  }
  return done / ((now - started) / 1000);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const worktree = mkdtempSync(join(tmpdir(), 'leadstream-against-'));
try {
  execFileSync('git', ['-C', here, 'worktree', 'add', '--detach', worktree, commit], { stdio: 'ignore' });
  symlinkSync(join(here, 'node_modules'), join(worktree, 'node_modules'));
  const sides = [await sideAt(here, 'this checkout'), await sideAt(worktree, commit)];
  for (const side of sides) {
    const analysed = side.analyzer.analyzeNow(side.threeMinute.call, side.threeMinute.tenant);
    console.log(`${side.name}: three-minute call analysed as ${JSON.stringify(analysed)}`);
  }
  const workloads = [
    { name: 'labelled set', items: (side: Side) => side.labelled },
    { name: 'three-minute call', items: (side: Side) => [side.threeMinute] },
  ];
  for (const workload of workloads) {
    for (const side of sides) slice(side.analyzer, workload.items(side));
    const rates: number[][] = sides.map(() => []);
    for (let round = 0; round < rounds; round += 1) {
      // Who goes first alternates, so neither always gets the warmer or the cooler half of a round.
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const at of order) {
        const side = sides[at] as Side;
        rates[at]?.push(slice(side.analyzer, workload.items(side)));
      }
    }
    const [ours = [], theirs = []] = rates;
    const ratios = ours.map((rate, round) => rate / (theirs[round] ?? rate));
    console.log(
      `${workload.name}: this checkout ${Math.round(median(ours))}/s, ${commit} ${Math.round(median(theirs))}/s` +
        ` (median of ${rounds} rounds of ${sliceMs} ms each); ratio per round median ${median(ratios).toFixed(3)},` +
        ` range ${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)}`,
    );
  }
} finally {
  execFileSync('git', ['-C', here, 'worktree', 'remove', '--force', worktree], { stdio: 'ignore' });
  rmSync(worktree, { recursive: true, force: true });
}
