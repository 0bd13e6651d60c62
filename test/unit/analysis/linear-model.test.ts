import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ColumnGatherer,
  FeatureColumns,
  LinearModel,
  trainLinearModel,
} from '../../../src/analysis/embedded/linear-model.js';

const CLASSES = ['leak', 'quote', 'spam'] as const;
const EXAMPLES = [
  { features: ['w:water', 'w:ceiling', 'w:dripping'], label: 'leak' as const },
  { features: ['w:water', 'w:floor', 'w:leak'], label: 'leak' as const },
  { features: ['w:leak', 'w:ceiling', 'w:now'], label: 'leak' as const },
  { features: ['w:price', 'w:kitchen', 'w:estimate'], label: 'quote' as const },
  { features: ['w:estimate', 'w:bathroom', 'w:how'], label: 'quote' as const },
  { features: ['w:price', 'w:bathroom', 'w:send'], label: 'quote' as const },
  { features: ['w:press', 'w:1', 'w:offer'], label: 'spam' as const },
  { features: ['w:offer', 'w:seo', 'w:google'], label: 'spam' as const },
  { features: ['w:press', 'w:google', 'w:business'], label: 'spam' as const },
];

describe('the linear model', () => {
  it('learns classes from the examples it is given and reads a new example by them', () => {
    const model = new LinearModel(trainLinearModel(CLASSES, EXAMPLES));
    expect(model.predict(['w:water', 'w:dripping', 'w:unseen']).label).toBe('leak');
    expect(model.predict(['w:estimate', 'w:kitchen']).label).toBe('quote');
    expect(model.predict(['w:google', 'w:offer']).label).toBe('spam');
  });

  it('gives the probability of what it answers, higher where the example is plainer', () => {
    const model = new LinearModel(trainLinearModel(CLASSES, EXAMPLES));
    const plain = model.predict(['w:press', 'w:offer', 'w:google']);
    const mixed = model.predict(['w:press', 'w:estimate']);
    expect(plain.probability).toBeGreaterThan(1 / 3);
    expect(plain.probability).toBeLessThanOrEqual(1);
    expect(plain.probability).toBeGreaterThan(mixed.probability);
  });

  it('trains the same weights from the same examples, whatever ran before', () => {
    const first = trainLinearModel(CLASSES, EXAMPLES);
    Math.random();
    expect(trainLinearModel(CLASSES, EXAMPLES)).toEqual(first);
  });

  it('leaves out a feature seen in a single example, as a caller’s name would be', () => {
    const weights = trainLinearModel(CLASSES, [
      ...EXAMPLES,
      { features: ['w:zelinski', 'w:leak'], label: 'leak' },
    ]);
    expect(weights.features['w:zelinski']).toBeUndefined();
    expect(weights.features['w:leak']).toBeDefined();
  });

  it('refuses weights whose shape does not match their classes', () => {
    expect(() => new LinearModel({ classes: ['a', 'b'], bias: [0], features: {} })).toThrow(
      /one bias per class/,
    );
    expect(() => new LinearModel({ classes: ['a', 'b'], bias: [0, 0], features: { 'w:x': [1] } })).toThrow(
      /w:x has 1 weights/,
    );
  });

  it('refuses an example of a class it was not told of', () => {
    expect(() => trainLinearModel(['a'], [{ features: ['w:x'], label: 'b' as 'a' }])).toThrow(
      /no known class/,
    );
  });
});

describe('a column gatherer', () => {
  // Names where a prefix and the rest can be cut two ways ("w:" + "not_x", "w:not_" + "x") and names no
  // table knows: the gatherer must read them as the whole names would be read.
  const table = new FeatureColumns(['w:x', 'w:not_x', 'w:y', 'a:x', 'asked', 'w:1', 'w:not_1', 'kind:call']);
  const named = fc.array(
    fc.tuple(
      fc.constantFrom('w:', 'w:not_', 'a:', 'kind:', ''),
      fc.constantFrom('x', 'not_x', 'y', 'z', 'not_z', '1', 'not_1', '22', 'asked', 'call'),
    ),
    { maxLength: 30 },
  );
  const isNumber = (feature: string) => /^w:(not_)?\d+$/.test(feature);

  it('gathers what a set of the whole names holds, known columns in the order first named', () => {
    const gatherer = new ColumnGatherer(table, isNumber);
    fc.assert(
      fc.property(named, (features) => {
        const whole = [...new Set(features.map(([prefix, rest]) => prefix + rest))];
        const kept = whole.filter((feature) => !isNumber(feature));
        const { all, kept: gathered } = gatherer.gather((name) => {
          for (const [prefix, rest] of features) name(prefix, rest);
        });
        const known = (names: string[]) => [...table.of(names)].filter((column) => column >= 0);
        expect(all).toEqual({ columns: known(whole), count: whole.length });
        expect(gathered).toEqual({ columns: known(kept), count: kept.length });
      }),
    );
  });

  it('refuses a gathering started inside another, which would mix two calls', () => {
    const gatherer = new ColumnGatherer(table, isNumber);
    expect(() =>
      gatherer.gather((outer) => {
        gatherer.gather((inner) => inner('w:', 'x'));
        outer('w:', 'y');
      }),
    ).toThrow(/one gathering at a time/);
  });
});
