import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import model from 'wink-eng-lite-web-model';
import winkNLP, { type WinkMethods } from 'wink-nlp';
import { WinkReader, type WinkReading } from '../../../src/analysis/embedded/wink-reader.js';
import { loadFieldCases, loadLabelledCases } from './labelled-cases.js';

/**
 * The model's metaCER() stringifies its machines into the variable it read them from, longer for every
 * instance built; each instance here gets the first answer, as wink only reads it.
 */
const firstMetaCer: unknown = (model.metaCER as () => unknown)();
const steadyModel: typeof model = { ...model, metaCER: () => firstMetaCer };

function freshWink(): WinkMethods {
  return winkNLP(steadyModel, ['sbd', 'negation', 'sentiment']);
}

const wink = freshWink();

/** What wink's own readDoc reads, in the reader's shape. */
function winkReading(text: string, instance: WinkMethods = wink): WinkReading {
  const doc = instance.readDoc(text);
  const spans = doc.sentences().out(instance.its.span) as unknown as Array<[number, number]>;
  const sentiments = doc.sentences().out(instance.its.sentiment) as unknown as number[];
  return {
    normals: doc.tokens().out(instance.its.normal),
    negated: doc.tokens().out(instance.its.negationFlag) as unknown as boolean[],
    sentences: spans.map(([first, last], index) => ({
      first,
      last,
      sentiment: sentiments[index] ?? Number.NaN,
    })),
  };
}

/** The model's own words and marks, read the same by every wink instance: nothing in them is learnt. */
const KNOWN = [
  'kitchen',
  'remodel',
  'bathroom',
  "can't",
  "won't",
  "we'd",
  "it's",
  "don't",
  'not',
  'no',
  'never',
  'nothing',
  'without',
  'nor',
  'neither',
  'hardly',
  "isn't",
  'cannot',
  'good',
  'great',
  'love',
  'awful',
  'terrible',
  'happy',
  'nightmare',
  'bad',
  'very',
  'really',
  'super',
  'Mr.',
  'Mrs.',
  'Dr.',
  'St.',
  'e.g.',
  'i.e.',
  'a.m.',
  'p.m.',
  'etc.',
  'No.',
  '.',
  ',',
  '!',
  '?',
  '...',
  ';',
  ':',
  '-',
  '--',
  '—',
  '"',
  "'",
  '(',
  ')',
  ':)',
  '😀',
  '3rd',
  '$',
  'the',
  'a',
  'we',
];
/** Pieces that take the tokenizer's other paths: unknown words, addresses, amounts, words run together. */
const OTHER = [
  'Kitchen',
  'Gracias',
  "I'm",
  'gonna',
  'wanna',
  "ma'am",
  '5pm',
  '4411',
  '2.5',
  'Zorbak',
  'Quillfeather',
  'baño',
  'quedó',
  'precioso',
  "y'all",
  "neighbor's",
  "'cause",
  'Ct.',
  'U.S.',
  'approx.',
  '[inaudible]',
  '“quote”',
  '‘so’',
  'zq1234@example.com',
  'https://example.com/a?b=1',
  'www.example.com',
  '@dana',
  '#reno',
  ':-(',
  '👍',
  '10:30',
  '21st',
  '$62,500',
  '$5k',
  '12,000',
  '1990s',
  "'90s",
  '50%',
  '555-0142',
  'x-ray',
  'built-in',
  'e-mail',
  'well-known',
  'co-op',
  'U.S.A.',
  'A.B.C.',
  'abc.def',
  'ok.',
  'kitchen.Bathroom',
  'a\u3000b',
  'c\vd',
];
/** Every space wink splits at, line breaks and tabs, and runs of them. */
const SEPARATORS = [
  ' ',
  ' ',
  ' ',
  '  ',
  '\u00a0',
  '\u2002',
  '\u2003',
  '\u2004',
  '\u2005',
  '\u2009',
  '\u200a',
  '\u202f',
  '\u205f',
  ' \u202f',
  '\n',
  '\n\n',
  '\t',
  '\r\n',
  ' \n ',
];

/** The first index a fresh wink instance gives a word it learns: every lexeme below it is the model's. */
function firstLearntIndex(): number {
  const fresh = freshWink();
  return fresh.readDoc('qzxwvjk').tokens().out(fresh.its.uniqueId)[0] as unknown as number;
}

describe('the wink reader, against wink-nlp readDoc', () => {
  it('reads every labelled transcript, and each of its lines, as wink does', () => {
    const reader = new WinkReader();
    const transcripts = [...loadLabelledCases(), ...loadFieldCases('dev')].map(
      ({ call }) => call.transcription ?? '',
    );
    for (const transcript of transcripts) {
      for (const text of [transcript, ...transcript.split('\n')])
        expect(reader.read(text)).toEqual(winkReading(text));
    }
  }, 120_000);

  it("finds the sentences, negation and sentiment that wink finds in any text of the model's own words", () => {
    const firstLearnt = firstLearntIndex();
    const ids = wink.readDoc(KNOWN.join(' ')).tokens().out(wink.its.uniqueId) as unknown as number[];
    expect(ids.every((id) => id < firstLearnt)).toBe(true);
    const reader = new WinkReader();
    const text = fc
      .array(fc.tuple(fc.constantFrom(...KNOWN), fc.constantFrom(...SEPARATORS)), { maxLength: 60 })
      .map((parts) => parts.map(([piece, separator]) => piece + separator).join(''));
    fc.assert(
      fc.property(text, (read) => {
        expect(reader.read(read)).toEqual(winkReading(read));
      }),
      { numRuns: 3_000 },
    );
  }, 120_000);

  it('reads a run of pieces without spaces as a fresh wink instance reads it, whatever it read before', () => {
    const piece = fc.constantFrom(...KNOWN, ...OTHER);
    const chunk = fc.array(piece, { minLength: 1, maxLength: 3 }).map((pieces) => pieces.join(''));
    // wink learns a run as one word when it reads it before a mark ("neighbor's." teaches "neighbor's").
    const marks = fc.array(fc.constantFrom('.', '!', '"', "'", ')', '(', '?', ','), { maxLength: 3 });
    fc.assert(
      fc.property(chunk, marks, fc.array(chunk, { maxLength: 8 }), (read, around, others) => {
        const reader = new WinkReader();
        reader.read([...around.map((mark) => `${mark}${read}${mark}`), ...others].join(' '));
        expect(reader.read(read)).toEqual(winkReading(read, freshWink()));
      }),
      {
        numRuns: 40,
        examples: [
          ["neighbor's", ['.'], []],
          ["'cause", ['"'], ['Zorbak']],
        ],
      },
    );
  }, 120_000);
});

describe('the wink reader on words its model does not know', () => {
  it('ends sentences after unknown abbreviations where wink does', () => {
    const reader = new WinkReader();
    for (const text of [
      'I said Q.E.D. The end came. He works at X.Y.Z. We called.',
      'It is Q.E.D. he said, from the U.S.A. The K.L. Then at Wrenfield Ct. Monday',
    ]) {
      expect(reader.read(text)).toEqual(winkReading(text, freshWink()));
    }
  });
});

describe('the wink reader over many calls', () => {
  const CALLS = [
    "Hi, this is Zorbak Quillfeather, we'd like a quote on the kitchen. Not this year though!",
    'Caller: my email is zq1234@example.com and the address is 4411 Wrenfield Ct.',
    "I'm not happy with the grout, honestly it's a nightmare. Can somebody come out Tuesday?",
    'Gracias, el baño quedó precioso. We love it!',
  ];

  it('reads every call the same however few chunks it remembers', () => {
    const forgetful = new WinkReader(2);
    const lasting = new WinkReader();
    for (let round = 0; round < 3; round += 1) {
      for (const text of CALLS) expect(forgetful.read(text)).toEqual(lasting.read(text));
    }
    expect(forgetful.rememberedChunks).toBeLessThanOrEqual(4);
  });

  it('remembers a bounded number of chunks however many new words it reads, and reads on as wink does', () => {
    const reader = new WinkReader(100);
    for (let i = 0; i < 1_000; i += 1) reader.read(`call ${i}, ${i * 7}th. from Zq${i}@example.com, Zq${i}.`);
    expect(reader.rememberedChunks).toBeLessThanOrEqual(200);
    for (const text of CALLS) expect(reader.read(text)).toEqual(winkReading(text, freshWink()));
  });
});
