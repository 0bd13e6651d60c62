import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callFeatures, type IntentEvidence } from '../../../src/analysis/embedded/call-features.js';
import type { IntentStructure } from '../../../src/analysis/embedded/intent-structure.js';
import { callFrom } from './labelled-cases.js';

const NOTHING_FOUND: IntentEvidence = {
  cues: new Set(),
  structure: {} as IntentStructure,
  agentSays: new Set(),
  asksForSomeoneElse: false,
  mentionsPastQuote: false,
  projectMentioned: false,
};

describe("the models' features", () => {
  it("hold each of the agent's words once, as runs of letters, digits and apostrophes", () => {
    const call = callFrom({ id: 'features' });
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9' ,.?!\n-]*$/), (agentText) => {
        const features = callFeatures(call, { caller: [], agentText, callerWordCount: 0 }, NOTHING_FOUND);
        const agentWords = features.filter((feature) => feature.startsWith('a:'));
        const expected = new Set(agentText.split(/[^a-z0-9']+/).filter((word) => word !== ''));
        expect(agentWords).toEqual([...expected].map((word) => `a:${word}`));
      }),
    );
  });
});
