import type { BudgetIndicator } from '../../events/ai-analysis.js';
import type { CallerSentence } from './call-reading.js';
import type { PhraseHit } from './phrase-matcher.js';

/**
 * What the caller says they will spend. Only statements count: "how much would it cost, thirty
 * thousand?" is a question about price, not a budget. Figures are read in sentences about money (a
 * budget word, a currency, or an answer to the agent's budget question); a range counts by its middle;
 * "under" and "over" lean the figure down or up; a bare "sixty-five" answering a budget question is
 * thousands. Without a figure, words like "tight budget" or "top of the line" decide.
 */

export const HIGH_BUDGET_FROM = 50_000;
export const MEDIUM_BUDGET_FROM = 15_000;

const AMOUNT =
  /(?<![\d-])(\$\s*)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?:-|to|y|a)\s*(\$\s*)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?))?(\s*(?:k|grand|mil)\b)?(\s*\+)?(?![\d-])(?!\s*(?:square|sq|feet|foot|ft|percent|%|years?|months?|weeks?|days?|hours?|minutes?|kids|bed|bath|colors|times|am|pm|o'clock|por|anos|meses|semanas|of experience|btc))/g;
const MONEY_WORDS =
  /\b(dollars?|dolares|bucks|grand|k|budget\w*|spend|afford|aside|pre-approved|loan|invest\w*|presupuesto|gastar|stretch|tops|max|thinking|around|about|looking at|hoping|range|number|como|unos|mas o menos|have|maybe|probably|saved|sink|stay|up to|no more than|under|less than|below|insurance|payout|tenemos|tengo)\b|\$/;
/** Words that make a bare number money in thousands: "we've saved up, thinking around 150". */
const SAVED_MONEY = /\b(budget\w*|saved|aside|spend|afford|presupuesto)\b/;
const DIGIT = /\d/;
/** Four-digit figures that are years, not money, unless a currency says otherwise. */
const YEAR = /^(19|20)\d\d$/;
const LEANS_DOWN = /\b(under|less than|below|not more than|no more than|menos de)\s+(\$\s*)?$/;
const LEANS_UP = /\b(over|more than|at least|mas de)\s+(\$\s*)?$/;
const KEEPS_UNDER = /\b(go over|more than|exceed)\s+(\$\s*)?$/;

function dollarsOf(digits: string, thousands: boolean): number {
  const value = Number(digits.replaceAll(',', ''));
  return thousands ? value * 1000 : value;
}

function wordIndexAt(sentence: CallerSentence, charIndex: number): number {
  return sentence.starts.findIndex(
    (start, i) => start <= charIndex && charIndex < (sentence.starts[i + 1] ?? Infinity),
  );
}

function amountsIn(sentence: CallerSentence): number[] {
  // "How much would it cost, thirty thousand?" asks a price; "like three or four thousand?" answering the
  // agent's budget question states one, tentatively.
  if (sentence.question && sentence.askedAbout !== 'budget') return [];
  const text = sentence.text;
  // Every amount has a digit (numbers said in words are digits by now); most sentences have none.
  if (!DIGIT.test(text)) return [];
  const aboutMoney = sentence.askedAbout === 'budget' || MONEY_WORDS.test(text);
  if (!aboutMoney) return [];
  const raw: Array<{ value: number; marked: boolean }> = [];
  // An exec loop, not matchAll, which copies the pattern on every call; AMOUNT never matches the empty
  // string, so the two step through the text alike.
  AMOUNT.lastIndex = 0;
  for (let m = AMOUNT.exec(text); m !== null; m = AMOUNT.exec(text)) {
    const [, dollar, low = '', dollar2, high, suffix, plus] = m;
    const before = text.slice(0, m.index);
    const word = wordIndexAt(sentence, m.index + (dollar?.length ?? 0));
    if (sentence.negated[word] && !KEEPS_UNDER.test(before) && !LEANS_DOWN.test(before)) continue;
    const thousands = suffix !== undefined;
    const marked = dollar !== undefined || dollar2 !== undefined || thousands;
    if (!marked && YEAR.test(low)) continue;
    let lean = 1;
    if (LEANS_DOWN.test(before)) lean = 0.7;
    if (LEANS_UP.test(before) || plus !== undefined) lean = 1.2;
    const values = [dollarsOf(low, thousands), ...(high === undefined ? [] : [dollarsOf(high, thousands)])];
    // "20 to 30000": the first number takes the second's thousands.
    if (values.length === 2 && (values[0] ?? 0) < 1000 && (values[1] ?? 0) >= 1000)
      values[0] = (values[0] ?? 0) * 1000;
    const middle = values.reduce((a, b) => a + b, 0) / values.length;
    raw.push({ value: middle * lean, marked });
  }
  const hasThousands = raw.some(({ value }) => value >= 1000);
  return raw.flatMap(({ value, marked }) => {
    if (value >= 1000) return [value];
    // A bare small number is thousands when money is the subject: "we said 65", "8, 10 grand tops".
    if (value >= 5 && (sentence.askedAbout === 'budget' || hasThousands || marked || SAVED_MONEY.test(text)))
      return [value * 1000];
    return [];
  });
}

export interface BudgetFinding {
  indicator: BudgetIndicator;
  amount: number | undefined;
}

export function findBudget(
  sentences: readonly CallerSentence[],
  cues: readonly PhraseHit<'high' | 'medium' | 'low'>[],
): BudgetFinding {
  const amounts = sentences.flatMap((sentence) => amountsIn(sentence));
  if (amounts.length > 0) {
    const amount = (Math.min(...amounts) + Math.max(...amounts)) / 2;
    const indicator = amount >= HIGH_BUDGET_FROM ? 'high' : amount >= MEDIUM_BUDGET_FROM ? 'medium' : 'low';
    return { indicator, amount };
  }
  const totals = { high: 0, medium: 0, low: 0 };
  for (const cue of cues) if (!cue.negated) totals[cue.label] += cue.weight;
  const [best, weight] = Object.entries(totals).sort((a, b) => b[1] - a[1])[0] ?? ['unknown', 0];
  return { indicator: weight >= 2 ? (best as BudgetIndicator) : 'unknown', amount: undefined };
}
