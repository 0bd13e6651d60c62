/**
 * Memory of the embedded analyzer over many calls, no network: each call says words no call said before
 * (the caller's name, street, e-mail and a misheard word), which wink-nlp's lexicon learns, against the
 * same calls with the same words every time. Prints the heap after a full collection as the calls go by.
 *
 *   node --expose-gc --import tsx bench/analysis-memory.ts [calls=320000]
 */
import { EmbeddedAnalyzer } from '../src/analysis/embedded/embedded-analyzer.js';
import { callFrom, tenantWith } from '../test/unit/analysis/labelled-cases.js';

const calls = Number(process.argv[2] ?? 320_000);
const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) {
  console.error('run with: node --expose-gc --import tsx bench/analysis-memory.ts [calls]');
  process.exit(2);
}

const tenant = tenantWith();

function transcript(word: string, street: number): string[] {
  return [
    'Agent: Thanks for calling, who am I speaking with?',
    `Caller: Hi, this is Dana ${word}, I'm at ${street} ${word}field Ct., e-mail ${word}@example.com.`,
    'Agent: How can we help?',
    `Caller: We want the kitchen redone before summer, maybe sixty thousand. The ${word}er cabinets are shot.`,
  ];
}

function heapMiB(): number {
  collect?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function run(name: string, wordOf: (i: number) => string, streetOf: (i: number) => number): void {
  const analyzer = new EmbeddedAnalyzer();
  const started = performance.now();
  const marks: string[] = [];
  for (let i = 0; i < calls; i += 1) {
    const call = callFrom({
      id: `call-${i}`,
      transcript: transcript(wordOf(i), streetOf(i)),
      duration_seconds: 95,
    });
    analyzer.analyzeNow(call, tenant);
    if ((i + 1) % Math.max(1, Math.floor(calls / 8)) === 0) marks.push(`${i + 1}: ${heapMiB().toFixed(1)}`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${name}: ${Math.round(calls / seconds)} analyses/s; heap after collection, MiB, by calls analysed:`,
  );
  console.log(`  ${marks.join(', ')}`);
}

console.log(`${calls} calls each; heap before ${heapMiB().toFixed(1)} MiB`);
run(
  'same words every call',
  () => 'Quillfeather',
  () => 4411,
);
run(
  'new words every call',
  (i) => `Zq${i.toString(36)}x`,
  (i) => i,
);
