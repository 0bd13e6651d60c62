/**
 * A multinomial logistic regression over sparse binary features: what the embedded analyzer learns from
 * the labelled calls where hand-written rules did not carry over to calls they were not written on
 * (issue #15). Features are strings; a call's features are scaled by 1/sqrt(count) so a long call does not
 * outvote a short one by length alone.
 */
export interface LinearModelWeights<Label extends string> {
  classes: readonly Label[];
  bias: readonly number[];
  /** One weight per class, in the order of `classes`; features the model never saw weigh nothing. */
  features: Readonly<Record<string, readonly number[]>>;
}

export interface Prediction<Label extends string> {
  label: Label;
  /** The model's probability of `label`, 0 to 1. */
  probability: number;
}

/**
 * Feature names to columns, which models reading the same features share: a call's few hundred features
 * are then looked up once for all of them, which is most of what the models cost.
 */
export class FeatureColumns {
  private readonly columns = new Map<string, number>();

  constructor(names: Iterable<string>) {
    for (const name of names) if (!this.columns.has(name)) this.columns.set(name, this.columns.size);
  }

  get size(): number {
    return this.columns.size;
  }

  column(name: string): number | undefined {
    return this.columns.get(name);
  }

  /** Every name with its column. */
  entries(): IterableIterator<[string, number]> {
    return this.columns.entries();
  }

  /** Each feature's column, -1 for one no model knows (it still counts in the scaling). */
  of(features: readonly string[]): Int32Array {
    const found = new Int32Array(features.length);
    features.forEach((feature, at) => {
      found[at] = this.columns.get(feature) ?? -1;
    });
    return found;
  }
}

/** A call's distinct features as columns of a table, and how many there were, known or not. */
export interface GatheredColumns {
  /** Columns of the features the table knows, in the order they were first named. */
  readonly columns: readonly number[];
  /** The distinct features named, those without a column included: the models scale by it. */
  readonly count: number;
}

/** Before a gathering's first name: a shared empty table, so no call allocates one it never reads. */
const NO_COLUMNS: ReadonlyMap<string, number> = new Map();

/** Names a feature as its family's prefix and the rest: `w:` and `kitchen` for `w:kitchen`. */
export type NameFeature = (prefix: string, rest: string) => void;

/**
 * Gathers a call's features into a table's columns as a reader names them, by prefix and rest, without
 * building the names the table has: building and looking up a few hundred strings a call cost more than
 * the models' sums. Distinct as a set of the whole names would be, in the order first named. The features
 * `setAside` picks (the time words) are also gathered apart: `kept` holds the others.
 */
export class ColumnGatherer {
  private readonly byPrefix = new Map<string, ReadonlyMap<string, number>>();
  private readonly asideColumn: Uint8Array;
  /** The round in which each column was last named: no clearing between calls. */
  private readonly namedIn: Int32Array;
  private round = 0;

  constructor(
    private readonly table: FeatureColumns,
    private readonly setAside: (feature: string) => boolean,
  ) {
    this.namedIn = new Int32Array(table.size);
    this.asideColumn = new Uint8Array(table.size);
    for (const [name, column] of table.entries()) if (setAside(name)) this.asideColumn[column] = 1;
  }

  /** `nameAll` names the features of one call, repeats allowed, before it returns. */
  gather(nameAll: (name: NameFeature) => void): { all: GatheredColumns; kept: GatheredColumns } {
    if (this.round === 0x7fffffff) {
      this.namedIn.fill(0);
      this.round = 0;
    }
    this.round += 1;
    const round = this.round;
    const all: number[] = [];
    const kept: number[] = [];
    const unknown = new Set<string>();
    let unknownKept = 0;
    // A reader names a family's features one after another (a call's words): its table is kept at hand.
    let lastPrefix: string | undefined;
    let columnsOfLast = NO_COLUMNS;
    nameAll((prefix, rest) => {
      if (round !== this.round) throw new Error('column gatherer: one gathering at a time');
      if (prefix !== lastPrefix) {
        lastPrefix = prefix;
        columnsOfLast = this.columnsOf(prefix);
      }
      const column = columnsOfLast.get(rest);
      if (column === undefined) {
        const feature = prefix + rest;
        if (unknown.has(feature)) return;
        unknown.add(feature);
        if (!this.setAside(feature)) unknownKept += 1;
      } else if (this.namedIn[column] !== round) {
        this.namedIn[column] = round;
        all.push(column);
        if (this.asideColumn[column] === 0) kept.push(column);
      }
    });
    return {
      all: { columns: all, count: all.length + unknown.size },
      kept: { columns: kept, count: kept.length + unknownKept },
    };
  }

  /** The table's names that start with `prefix`, by the rest: "w:not_x" is under "w:" as "not_x" too. */
  private columnsOf(prefix: string): ReadonlyMap<string, number> {
    let columns = this.byPrefix.get(prefix);
    if (columns === undefined) {
      const found = new Map<string, number>();
      for (const [name, column] of this.table.entries())
        if (name.startsWith(prefix)) found.set(name.slice(prefix.length), column);
      columns = found;
      this.byPrefix.set(prefix, columns);
    }
    return columns;
  }
}

export class LinearModel<Label extends string> {
  /** Row-major weights, one row of `classes.length` a column; columns of features it never saw are 0. */
  private readonly weights: Float64Array;

  constructor(
    private readonly model: LinearModelWeights<Label>,
    readonly columns: FeatureColumns = new FeatureColumns(Object.keys(model.features)),
  ) {
    const width = model.classes.length;
    if (width === 0 || model.bias.length !== width)
      throw new Error('linear model: one bias per class is required');
    this.weights = new Float64Array(columns.size * width);
    for (const [feature, row] of Object.entries(model.features)) {
      if (row.length !== width)
        throw new Error(`linear model: feature ${feature} has ${row.length} weights, not one per class`);
      const column = columns.column(feature);
      if (column === undefined) throw new Error(`linear model: feature ${feature} has no column`);
      this.weights.set(row, column * width);
    }
  }

  get classes(): readonly Label[] {
    return this.model.classes;
  }

  /** `features` are distinct, as the feature readers give them. */
  predict(features: readonly string[]): Prediction<Label> {
    return this.predictColumns(this.columns.of(features));
  }

  /**
   * The features by their columns (`columns.of`, or a ColumnGatherer's), as models sharing them are given
   * them; `count` is how many distinct features the call has, those without a column included.
   */
  predictColumns(features: ArrayLike<number>, count: number = features.length): Prediction<Label> {
    const width = this.model.classes.length;
    const scores = [...this.model.bias];
    const scale = 1 / Math.sqrt(Math.max(1, count));
    for (let at = 0; at < features.length; at += 1) {
      const column = features[at] ?? -1;
      if (column < 0) continue;
      const row = column * width;
      for (let k = 0; k < width; k += 1) scores[k] = (scores[k] ?? 0) + (this.weights[row + k] ?? 0) * scale;
    }
    let best = 0;
    for (let k = 1; k < scores.length; k += 1) if ((scores[k] ?? 0) > (scores[best] ?? 0)) best = k;
    const top = scores[best] ?? 0;
    const total = scores.reduce((sum, score) => sum + Math.exp(score - top), 0);
    return { label: this.model.classes[best] as Label, probability: 1 / total };
  }
}

export interface TrainingExample<Label extends string> {
  features: readonly string[];
  label: Label;
}

export interface TrainingOptions {
  /** Passes over the examples; the step shrinks by a tenth each pass. */
  epochs: number;
  /** L2 penalty on every weight. */
  l2: number;
  /** Features seen in fewer examples than this are left out: one call's name or street teaches nothing. */
  minExamples: number;
  /** Seeds the shuffle, so the same examples always give the same weights. */
  seed: number;
}

export const DEFAULT_TRAINING: TrainingOptions = { epochs: 30, l2: 1e-3, minExamples: 2, seed: 15 };

/** Stochastic gradient descent on the cross-entropy; deterministic for a given seed. */
export function trainLinearModel<Label extends string>(
  classes: readonly Label[],
  examples: readonly TrainingExample<Label>[],
  options: TrainingOptions = DEFAULT_TRAINING,
): LinearModelWeights<Label> {
  const seen = new Map<string, number>();
  for (const example of examples)
    for (const feature of new Set(example.features)) seen.set(feature, (seen.get(feature) ?? 0) + 1);
  const vocabulary = [...seen]
    .filter(([, count]) => count >= options.minExamples)
    .map(([feature]) => feature);
  vocabulary.sort();
  const index = new Map(vocabulary.map((feature, at) => [feature, at]));
  const K = classes.length;
  const weights = new Float64Array(K * vocabulary.length);
  const bias = new Float64Array(K);
  const rows = examples.map((example) => {
    const unique = [...new Set(example.features)];
    return {
      columns: unique.flatMap((feature) => index.get(feature) ?? []),
      scale: 1 / Math.sqrt(Math.max(1, unique.length)),
      target: classes.indexOf(example.label),
    };
  });
  for (const row of rows) if (row.target < 0) throw new Error('linear model: an example has no known class');
  const random = mulberry32(options.seed);
  const order = rows.map((_row, at) => at);
  const scores = new Float64Array(K);
  let step = 0.5;
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const at of order) {
      const row = rows[at];
      if (row === undefined) continue;
      let top = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < K; k += 1) {
        let score = bias[k] ?? 0;
        for (const column of row.columns) score += (weights[k * vocabulary.length + column] ?? 0) * row.scale;
        scores[k] = score;
        top = Math.max(top, score);
      }
      let total = 0;
      for (let k = 0; k < K; k += 1) {
        scores[k] = Math.exp((scores[k] ?? 0) - top);
        total += scores[k] ?? 0;
      }
      for (let k = 0; k < K; k += 1) {
        const gradient = (scores[k] ?? 0) / total - (k === row.target ? 1 : 0);
        bias[k] = (bias[k] ?? 0) - step * gradient;
        for (const column of row.columns) {
          const at = k * vocabulary.length + column;
          const weight = weights[at] ?? 0;
          weights[at] = weight - step * (gradient * row.scale + options.l2 * weight);
        }
      }
    }
    step *= 0.9;
  }
  const features: Record<string, number[]> = {};
  vocabulary.forEach((feature, column) => {
    const row = classes.map((_label, k) => round(weights[k * vocabulary.length + column] ?? 0));
    if (row.some((weight) => weight !== 0)) features[feature] = row;
  });
  return { classes: [...classes], bias: [...bias].map(round), features };
}

/** Four decimals: the file stays small and reads the same on every machine (and never says -0). */
function round(weight: number): number {
  return Math.round(weight * 1e4) / 1e4 || 0;
}

/** A small seeded generator (public domain), so training needs no randomness from outside. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
