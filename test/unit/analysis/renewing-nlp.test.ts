import { describe, expect, it } from 'vitest';
import { RenewingNlp } from '../../../src/analysis/embedded/nlp.js';

const CALLS = [
  "Hi, this is Zorbak Quillfeather, we'd like a quote on the kitchen. Not this year though!",
  'Caller: my email is zq1234@example.com and the address is 4411 Wrenfield Ct.',
  "I'm not happy with the grout, honestly it's a nightmare. Can somebody come out Tuesday?",
  'Gracias, el baño quedó precioso. We love it!',
];

function reading(nlp: RenewingNlp, text: string) {
  const doc = nlp.readDoc(text);
  return {
    normals: doc.tokens().out(nlp.its.normal),
    negation: doc.tokens().out(nlp.its.negationFlag),
    sentences: doc.sentences().out(nlp.its.span),
    sentiment: doc.sentences().out(nlp.its.sentiment),
  };
}

describe('the wink-nlp reader renewed against its unbounded lexicon', () => {
  it('reads every call the same after its instance was renewed as one that never was', () => {
    const renewing = new RenewingNlp(2);
    const lasting = new RenewingNlp(Number.MAX_SAFE_INTEGER);
    for (let round = 0; round < 3; round += 1) {
      for (const text of CALLS) expect(reading(renewing, text)).toEqual(reading(lasting, text));
    }
    expect(renewing.renewals).toBeGreaterThanOrEqual(5);
    expect(lasting.renewals).toBe(0);
  });

  it('keeps renewing for as long as the process runs (the model hands every instance the same parts)', () => {
    const renewing = new RenewingNlp(1);
    for (let i = 0; i < 60; i += 1) renewing.readDoc(`call number ${i} from Zorbak${i}`);
    expect(renewing.renewals).toBe(59);
    expect(reading(renewing, CALLS[0] ?? '')).toEqual(reading(new RenewingNlp(), CALLS[0] ?? ''));
  }, 60_000);
});
