/** A pattern an automaton found: its first and last token and the pattern's name. */
export interface Recognised {
  first: number;
  last: number;
  name: string | undefined;
}

/** The token wink's automata read after the last one. */
const END_OF_TEXT = 2_070_000;
/** The symbol of a state's fallback transition, taken when the pattern cannot go on. */
const OTHERWISE = 2_070_003;
const ROOT = 0;
/**
 * The root state's transitions on the model's own words (ids below this) are kept in an array: nearly
 * every token is read at the root, and most lead nowhere.
 */
const ROOT_TABLE_SIZE = 1 << 17;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One of wink-nlp's pattern automata (sentence boundaries, negation, sentiment), read from the model's
 * machine and run the way wink's `recognize` runs it: greedy, rolling back to the last state with a
 * fallback. wink keeps each state's transitions in an object parsed from JSON, and looking a token up
 * there was a third of wink's reading of a call; here they are Maps. Substitutions and per-token
 * callbacks, which wink's English model does not use for these passes, are left out.
 */
export class WinkAutomaton {
  private readonly next: Array<Map<number, number> | undefined> = [];
  private readonly rootNext = new Int32Array(ROOT_TABLE_SIZE);
  private readonly fallback: number[] = [];
  private readonly names: Array<string | undefined> = [];
  private readonly marks: Array<readonly [number, number] | undefined> = [];

  constructor(machine: string) {
    const parsed: unknown = JSON.parse(machine);
    if (!Array.isArray(parsed) || !isRecord(parsed[2]) || !isRecord(parsed[3]) || !isRecord(parsed[4])) {
      throw new Error('wink-nlp machine: expected [version, states, fsm, terminals, marks, properties]');
    }
    const [, , fsm, terminals, marks] = parsed as [
      unknown,
      unknown,
      Record<string, unknown>,
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    for (const [state, transitions] of Object.entries(fsm)) {
      if (!isRecord(transitions)) throw new Error(`wink-nlp machine: state ${state} is not an object`);
      const map = new Map<number, number>();
      for (const [symbol, target] of Object.entries(transitions)) {
        if (Number(symbol) === OTHERWISE) this.fallback[Number(state)] = Number(target);
        else map.set(Number(symbol), Number(target));
      }
      this.next[Number(state)] = map;
    }
    for (const [symbol, target] of this.next[ROOT] ?? []) {
      if (symbol >= 0 && symbol < ROOT_TABLE_SIZE) this.rootNext[symbol] = target;
    }
    for (const [state, name] of Object.entries(terminals)) {
      if (typeof name !== 'string')
        throw new Error(`wink-nlp machine: state ${state}'s name is not a string`);
      this.names[Number(state)] = name;
    }
    for (const [state, mark] of Object.entries(marks)) {
      if (!Array.isArray(mark)) throw new Error(`wink-nlp machine: mark of state ${state} is not a pair`);
      this.marks[Number(state)] = [Number(mark[0]), Number(mark[1])];
    }
  }

  /**
   * The patterns in a text's tokens (the ids of their normal forms), skipping `skip` (a line break).
   * `symbols`, when given, is what the automaton reads at each token instead of its id.
   */
  recognise(tokens: ArrayLike<number>, skip: number, symbols?: ArrayLike<number>): Recognised[] {
    const { length } = tokens;
    const found: Recognised[] = [];
    let first = 0;
    let state = ROOT;
    let lastFallbackIndex = 0;
    let lastFallbackState = ROOT;
    for (let i = 0; i <= length; i += 1) {
      for (let j = i; j <= length; j += 1) {
        let token = j === length ? END_OF_TEXT : (tokens[j] ?? 0);
        if (token === skip) continue;
        if (symbols !== undefined && j < length) token = symbols[j] ?? 0;
        let following =
          state === ROOT && token >= 0 && token < ROOT_TABLE_SIZE
            ? this.rootNext[token] || ROOT
            : this.next[state]?.get(token) || ROOT;
        if (state === ROOT && following !== ROOT) first = j;
        if (this.names[following]) {
          this.keep(found, first, j, following);
          i = j;
          j = length + 100;
          following = ROOT;
          lastFallbackState = ROOT;
        } else if (following === ROOT) {
          if (lastFallbackState !== ROOT) {
            this.keep(found, first, lastFallbackIndex, lastFallbackState);
            i = lastFallbackIndex;
            lastFallbackState = ROOT;
          }
          j = length + 100;
        }
        state = following;
        const fallback = this.fallback[state];
        if (fallback) {
          lastFallbackIndex = j;
          lastFallbackState = fallback;
        }
      }
    }
    return found;
  }

  private keep(found: Recognised[], first: number, last: number, state: number): void {
    const name = this.names[state];
    // wink's machines name a pattern '0' when it only stops other patterns from matching there.
    if (name === '0') return;
    const mark = this.marks[state];
    found.push(
      mark === undefined ? { first, last, name } : { first: first + mark[0], last: last - mark[1], name },
    );
  }
}
