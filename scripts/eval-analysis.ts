/**
 * Scores the embedded analyzer against the labelled set in test/fixtures/analysis.
 *
 *   npm run eval                      # accuracy per field, confusion tables, lead-score rank correlation
 *   npm run eval -- --failures dev    # also list the dev cases it gets wrong (never tune on held-out)
 *
 * Accuracy is printed for the dev half (what the rules were written against), the held-out half (only
 * ever scored) and both together.
 */
import { parseArgs } from 'node:util';
import { EmbeddedAnalyzer } from '../src/analysis/embedded/embedded-analyzer.js';
import type { AiAnalysis } from '../src/events/ai-analysis.js';
import { type LabelledCase, loadLabelledCases } from '../test/unit/analysis/labelled-cases.js';

const FIELDS = ['intent', 'project_type', 'timeline', 'budget_indicator', 'sentiment', 'urgency'] as const;
type Field = (typeof FIELDS)[number];

const { values } = parseArgs({ options: { failures: { type: 'string' } }, strict: true });
const analyzer = new EmbeddedAnalyzer();
const cases = loadLabelledCases();
const results = cases.map((labelled) => ({
  labelled,
  got: analyzer.analyzeNow(labelled.call, labelled.tenant),
}));

function ranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]?.value === order[i]?.value) j += 1;
    for (let k = i; k <= j; k += 1) out[order[k]?.index ?? 0] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Spearman's rho: Pearson correlation of the ranks (ties share their mean rank). */
function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i += 1) {
    const x = (ra[i] ?? 0) - ma;
    const y = (rb[i] ?? 0) - mb;
    num += x * y;
    da += x * x;
    db += y * y;
  }
  return num / Math.sqrt(da * db);
}

type Result = { labelled: LabelledCase; got: AiAnalysis };
const percent = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`.padStart(6);

function accuracyLine(name: string, subset: readonly Result[]): string {
  const cells = FIELDS.map((field) => {
    const right = subset.filter(({ labelled, got }) => labelled.expected[field] === got[field]).length;
    return `${field} ${percent(right, subset.length)}`;
  });
  const rho = spearman(
    subset.map(({ got }) => got.lead_score),
    subset.map(({ labelled }) => labelled.expected.lead_score),
  );
  return `${name.padEnd(9)} n=${String(subset.length).padStart(3)}  ${cells.join('  ')}  lead_score spearman ${rho.toFixed(3)}`;
}

function confusion(field: Field, subset: readonly Result[]): string {
  const labels = [
    ...new Set(subset.flatMap(({ labelled, got }) => [labelled.expected[field], got[field]])),
  ].sort();
  const width = Math.max(9, ...labels.map((label) => label.length)) + 1;
  const lines = [
    `${field}: rows expected, columns predicted`,
    `${''.padEnd(width)}${labels.map((l) => l.slice(0, 10).padStart(11)).join('')}`,
  ];
  for (const expected of labels) {
    const row = labels.map((predicted) =>
      String(
        subset.filter(
          ({ labelled, got }) => labelled.expected[field] === expected && got[field] === predicted,
        ).length,
      ).padStart(11),
    );
    lines.push(`${expected.padEnd(width)}${row.join('')}`);
  }
  return lines.join('\n');
}

const dev = results.filter(({ labelled }) => !labelled.heldOut);
const heldOut = results.filter(({ labelled }) => labelled.heldOut);
console.log(`Embedded analyzer on ${results.length} labelled cases (test/fixtures/analysis)\n`);
console.log(accuracyLine('dev', dev));
console.log(accuracyLine('held-out', heldOut));
console.log(accuracyLine('all', results));
console.log('');
for (const field of FIELDS) console.log(`${confusion(field, results)}\n`);

if (values.failures !== undefined) {
  const subset = values.failures === 'held-out' ? heldOut : values.failures === 'all' ? results : dev;
  for (const { labelled, got } of subset) {
    const wrong = FIELDS.filter((field) => labelled.expected[field] !== got[field]);
    if (wrong.length === 0) continue;
    console.log(
      `${labelled.id}: ${wrong.map((field) => `${field} ${labelled.expected[field]} -> ${got[field]}`).join(', ')}`,
    );
  }
}
