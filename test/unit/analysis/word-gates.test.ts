import { describe, expect, it, vi } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/embedded/embedded-analyzer.js';
import type { AiAnalysis } from '../../../src/events/ai-analysis.js';
import {
  type LabelledCase,
  loadBlindCases,
  loadFieldCases,
  loadFreshCases,
  loadLabelledCases,
} from './labelled-cases.js';

/**
 * A word gate (word-gate.ts) is a hand-written list of the words its pattern cannot match without. A
 * pattern given a new alternative whose words its gate lacks would stop matching where only that
 * alternative fits, and no rule's own test would notice if its example also said an older gate word.
 * So every gate is opened here and every dev case analysed both ways: a gate shut where its pattern
 * matches changes some analysis.
 */
const gates = vi.hoisted(() => ({ open: false }));

vi.mock('../../../src/analysis/embedded/word-gate.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/analysis/embedded/word-gate.js')>();
  return {
    ...real,
    mayMatch: (...args: Parameters<typeof real.mayMatch>) => gates.open || real.mayMatch(...args),
    opensBySentence: (...args: Parameters<typeof real.opensBySentence>) => {
      const opens = real.opensBySentence(...args);
      return (sentence: number, text: string) => gates.open || opens(sentence, text);
    },
  };
});

// Dev cases only: the held-out sets are scored in aggregate by `npm run eval` and read nowhere else.
const cases: LabelledCase[] = [
  ...loadLabelledCases(),
  ...loadFieldCases('dev'),
  ...loadFreshCases(),
  ...loadBlindCases(),
];

function analyseAll(open: boolean): Map<string, AiAnalysis> {
  gates.open = open;
  try {
    const analyzer = new EmbeddedAnalyzer();
    return new Map(
      cases.map(({ id, file, call, tenant }) => [`${file} ${id}`, analyzer.analyzeNow(call, tenant)]),
    );
  } finally {
    gates.open = false;
  }
}

describe('word gates', () => {
  it('change no analysis of any dev case: each gate lets through every call its pattern matches', () => {
    const gated = analyseAll(false);
    const open = analyseAll(true);
    const differing = [...gated].filter(([key, analysis]) => {
      const ungated = open.get(key);
      return JSON.stringify(ungated) !== JSON.stringify(analysis);
    });
    expect(cases.length).toBeGreaterThan(800);
    expect(
      differing.map(([key]) => key),
      'analyses that differ with every gate open',
    ).toEqual([]);
  });
});
