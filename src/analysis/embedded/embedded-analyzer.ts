import type { TenantConfig } from '../../config/tenants/tenant-config.js';
import type { AiAnalysis, Intent, Sentiment, Timeline, Urgency } from '../../events/ai-analysis.js';
import { isPhoneCall, type RawCall } from '../../events/raw-call.js';
import type { Analyzer } from '../analyzer.js';
import { scoreLead } from '../lead-score.js';
import { type AnalysisModels, trainedModels } from './analysis-models.js';
import { findBudget } from './budget-rules.js';
import {
  callFeatures,
  type IntentEvidence,
  isTimeWord,
  nameCallFeatures,
  type RuleReadings,
  ruleReadingNames,
} from './call-features.js';
import { type CallReading, readCall } from './call-reading.js';
import { type IntentStructure, readIntentStructure } from './intent-structure.js';
import {
  ColumnGatherer,
  type FeatureColumns,
  type GatheredColumns,
  type LinearModel,
} from './linear-model.js';
import { type PhraseHit, PhraseMatcher, weightsByLabel } from './phrase-matcher.js';
import { decideProjectType, projectsByShape, tenantProjectMatcher } from './project-rules.js';
import { decideSentiment } from './sentiment-rules.js';
import { findTimeline, type TimelineFinding, timelineOf } from './timeline-rules.js';
import {
  AGENT_NON_LEAD_PHRASES,
  BUDGET_PHRASES,
  DAMAGE_PHRASES,
  HASTE_PHRASES,
  INTENT_PHRASES,
  NO_HURRY_PHRASES,
  PROJECT_PHRASES,
  RIGHT_NOW_PHRASES,
  STALLED_WORK_PHRASES,
  THANKS_CALL_PHRASES,
  TONE_PHRASES,
  URGENT_PROBLEM_PHRASES,
} from './trade-lexicon.js';
import { gateWordsIn, mayMatch, wordGate } from './word-gate.js';

type IntentCue = keyof typeof INTENT_PHRASES;
type Cue =
  | IntentCue
  | 'kitchen'
  | 'bathroom'
  | 'whole_home'
  | 'addition'
  | 'no_hurry'
  | 'urgent'
  | 'haste'
  | 'budget_high'
  | 'budget_medium'
  | 'budget_low'
  | 'tone_positive'
  | 'tone_negative'
  | 'damage'
  | 'right_now'
  | 'thanks_call'
  | 'stalled_work';

/** Every phrase of the lexicon in one matcher: the caller's words are walked once. */
const LEXICON = new PhraseMatcher<Cue>([
  ...(Object.entries(INTENT_PHRASES) as Array<[IntentCue, (typeof INTENT_PHRASES)[IntentCue]]>),
  ['kitchen', PROJECT_PHRASES.kitchen],
  ['bathroom', PROJECT_PHRASES.bathroom],
  ['whole_home', PROJECT_PHRASES.whole_home],
  ['addition', PROJECT_PHRASES.addition],
  ['no_hurry', NO_HURRY_PHRASES],
  ['urgent', URGENT_PROBLEM_PHRASES],
  ['haste', HASTE_PHRASES],
  ['budget_high', BUDGET_PHRASES.high],
  ['budget_medium', BUDGET_PHRASES.medium],
  ['budget_low', BUDGET_PHRASES.low],
  ['tone_positive', TONE_PHRASES.positive],
  ['tone_negative', TONE_PHRASES.negative],
  ['damage', DAMAGE_PHRASES],
  ['right_now', RIGHT_NOW_PHRASES],
  ['thanks_call', THANKS_CALL_PHRASES],
  ['stalled_work', STALLED_WORK_PHRASES],
]);
const AGENT_SIDE = new PhraseMatcher<'spam' | 'wrong_number'>([
  ['spam', AGENT_NON_LEAD_PHRASES.spam],
  ['wrong_number', AGENT_NON_LEAD_PHRASES.wrong_number],
]);
/** "Is Brenda there?", "Is this Tony's?", "¿Está Rosa?": a caller looking for someone else. */
const ASKS_FOR_SOMEONE =
  /^(hi ,? |hello ,? |oh ,? |bueno \? )?(¿ )?(is (this|\w+) (there|not|the|\w+ 's)|esta \w+ \?|es (el|la) )/;
/** Signs of damage that together say it is happening, without a word of when. */
const DAMAGE_SIGNS = 2;
/**
 * A request said as a statement: "I'll need your W-9", "I need the care instructions", "I want you to look
 * at the hall bath too", "I'm calling to pay the balance".
 */
const ASKS_FOR_SOMETHING =
  /\b(?:i|we) (?:will |would |also |just )?need\b|\b(?:can|could) you\b|\bplease send\b|\b(?:want|like) (?:you|someone|somebody) to\b|\b(?:calling|want|wanted|like) to pay\b|\bquote\b/;
const SEEKS_WORK =
  /\b(?:are you|you guys|y'all|is (?:your company|anyone)) (?:still )?hiring\b|\blooking for (?:\w+ )?(?:work|a job) ?(?:[.!?,]|$)|\bjob openings?\b/;
const NON_LEADS: ReadonlySet<Intent> = new Set(['spam', 'wrong_number']);
/** A quote already given, talked about: "the estimate Brian did", "Tom gave me a quote", "had someone out". */
const PAST_QUOTE =
  /\b(gave (me|us)|you gave|(estimate|quote|bid) (\w+ )?(did|gave|sent)|had someone out|came out last|revise)\b/;
const PAST_QUOTE_NEEDS = wordGate([
  [['gave']],
  [
    ['estimate', 'quote', 'bid'],
    ['did', 'sent'],
  ],
  [['had'], ['someone'], ['out']],
  [['came'], ['last']],
  [['revise']],
]);

/** Words that say nothing when they are all a caller said: "Hello? Hello?", "¿Bueno?". */
const EMPTY_WORDS: ReadonlySet<string> = new Set([
  'hello',
  'hi',
  'hey',
  'hola',
  'bueno',
  'alo',
  'yes',
  'yeah',
  'ok',
  'okay',
]);

const LETTER = /\p{L}/u;

/** Negation cues said right before a room: "not the kitchen", "no bathroom work". */
const NEAR_NEGATION: ReadonlySet<string> = new Set(['not', 'no', 'never', 'without', 'nor', 'neither']);
const ROOM_NEGATION_REACH = 3;

/**
 * Whether a negation stands within a few words before a room: "I can't get in and out of my bathtub"
 * is about the bathtub, though "can't" stands several words before it.
 */
function negatedNearby(words: readonly string[], at: number): boolean {
  for (let i = Math.max(0, at - ROOM_NEGATION_REACH); i < at; i += 1)
    if (NEAR_NEGATION.has(words[i] ?? '')) return true;
  return false;
}

function saidNothing(reading: CallReading): boolean {
  if (reading.callerWordCount < 2) return true;
  // Short of a dozen words, look whether any says something; a longer call always does.
  if (reading.callerWordCount > 12) return false;
  for (const sentence of reading.caller)
    for (const word of sentence.words) if (LETTER.test(word) && !EMPTY_WORDS.has(word)) return false;
  return true;
}

function pastQuoteSentences(reading: CallReading): Set<number> {
  const found = new Set<number>();
  if (!mayMatch(PAST_QUOTE_NEEDS, gateWordsIn(reading.caller), () => '')) return found;
  for (const [index, sentence] of reading.caller.entries())
    if (PAST_QUOTE.test(sentence.text)) found.add(index);
  return found;
}

/**
 * A customer's call is about work already contracted: a time they name is its new start only when they
 * move it ("can we push the start to June?"); otherwise it is a next job's ("maybe the bath in the fall")
 * or a fault's ("it's been two months"), not the timeline of the call.
 */
const MOVED_START =
  /\b(?:push\w*|move|moving|change|changing|reschedul\w*|postpon\w*|delay\w*|bump\w*|start date|cambiar|mover|fecha)\b/;

function movesTheStart(reading: CallReading, finding: TimelineFinding): boolean {
  return finding.sentence !== undefined && MOVED_START.test(reading.caller[finding.sentence]?.text ?? '');
}

function only<Label extends Cue>(
  hits: readonly PhraseHit<Cue>[],
  labels: readonly Label[],
): PhraseHit<Label>[] {
  return hits.filter((hit): hit is PhraseHit<Label> => (labels as readonly Cue[]).includes(hit.label));
}

function decideUrgency(
  intent: Intent,
  timeline: Timeline,
  sentiment: Sentiment,
  hits: readonly PhraseHit<Cue>[],
  hasContent: boolean,
  thanksOnly: boolean,
): Urgency {
  if (NON_LEADS.has(intent) || !hasContent || (intent === 'unknown' && timeline === 'unknown')) return 'low';
  const weights = weightsByLabel(hits);
  // Haste said of a later time is that time's ("we close in June and want to start right away"): then
  // only a problem (a leak, a flood) makes the call urgent.
  // A customer's haste ("I want a call back today") is about being answered, not about work they have
  // yet to time: only a problem makes their call urgent.
  const haste = timeline !== 'unknown' || intent === 'existing_customer' ? 0 : (weights.get('haste') ?? 0);
  if (timeline === 'immediate' || (weights.get('urgent') ?? 0) + haste >= 3) return 'high';
  // Work that stopped and left the home unusable ("my kitchen is torn apart") cannot wait.
  if (intent === 'existing_customer' && (weights.get('stalled_work') ?? 0) > 0) return 'high';
  // A call only to thank for finished work asks for nothing, however warmly the thanks came across.
  if (intent === 'existing_customer' && sentiment !== 'negative' && thanksOnly) return 'low';
  if (timeline === '3-6_months' || timeline === '6+_months' || (weights.get('no_hurry') ?? 0) >= 3)
    return 'low';
  return 'medium';
}

interface CallEvidence {
  hits: PhraseHit<Cue>[];
  projectType: string;
  structure: IntentStructure;
  evidence: IntentEvidence;
}

/** What the lexicon, the tenant's project types and the call's shape find in a call's words. */
function readEvidence(tenant: Pick<TenantConfig, 'analysis'>, reading: CallReading): CallEvidence {
  const hits = LEXICON.match(reading.caller);
  const tenantTypes = tenantProjectMatcher(tenant);
  const tenantHits = tenantTypes ? tenantTypes.match(reading.caller) : [];
  const projectType = decideProjectType(
    [
      ...only(hits, ['kitchen', 'bathroom', 'whole_home', 'addition'] as const).map((hit) =>
        hit.negated && !negatedNearby(reading.caller[hit.sentence]?.words ?? [], hit.word)
          ? { ...hit, negated: false }
          : hit,
      ),
      ...projectsByShape(reading.caller),
    ],
    tenantHits,
  );
  const structure = readIntentStructure(reading);
  const evidence: IntentEvidence = {
    cues: new Set(hits.filter((hit) => !hit.negated).map((hit) => hit.label)),
    structure,
    // Read only when no project was mentioned, where a pitch or a wrong number is in question: the
    // agent's side of a long call costs as much to read as the rest of the analysis.
    agentSays: new Set(projectType === 'unknown' ? AGENT_SIDE.occursIn(reading.agentText) : []),
    asksForSomeoneElse: ASKS_FOR_SOMEONE.test(reading.caller[0]?.text ?? ''),
    mentionsPastQuote: pastQuoteSentences(reading).size > 0,
    projectMentioned: projectType !== 'unknown',
  };
  return { hits, projectType, structure, evidence };
}

/** What the models read of a call: what they are trained on and what they are given. */
export function callFeaturesOf(
  call: RawCall,
  tenant: Pick<TenantConfig, 'analysis'>,
  reading: CallReading = readCall(call),
): string[] {
  return callFeatures(call, reading, readEvidence(tenant, reading).evidence);
}

/** What the rules decide of a call, with the intent model's intent, before the other models weigh in. */
export interface RuleAnalysis {
  /**
   * What the models read of the call (call-features.ts) in the intent model's columns: all of it, and
   * without the time words (isTimeWord).
   */
  columns: { all: GatheredColumns; untimed: GatheredColumns };
  fields: Omit<AiAnalysis, 'lead_score' | 'score_reasons' | 'analyzer'> & RuleReadings;
  hasContent: boolean;
  nonLead: boolean;
  /** Urgency is one the guide fixes: a call only to thank for the work, a job seeker's (both low). */
  urgencySettled: boolean;
  timelineHeard: string | undefined;
  budgetAmount: number | undefined;
}

/**
 * The call read by the rules: the lexicon, the call's shape, dates against the call's own date, budgets,
 * tone. The intent is the intent model's, as every later rule depends on it.
 */
export function analyseByRules(
  call: RawCall,
  tenant: Pick<TenantConfig, 'analysis'>,
  intentModel: LinearModel<Intent>,
  reading: CallReading = readCall(call),
): RuleAnalysis {
  const { hits, projectType, structure, evidence } = readEvidence(tenant, reading);
  const { all, kept } = gathererOf(intentModel.columns).gather((name) =>
    nameCallFeatures(call, reading, evidence, name),
  );
  const hasContent = reading.callerWordCount > 0;
  const intent = hasContent ? intentModel.predictColumns(all.columns, all.count).label : 'unknown';
  const nonLead = NON_LEADS.has(intent);

  const from = new Date(call.start_time ?? call.received_at);
  const timelineFinding = nonLead
    ? undefined
    : findTimeline(reading.caller, from, only(hits, ['no_hurry'] as const), [
        ...only(hits, ['urgent'] as const),
        ...(intent === 'existing_customer' ? [] : only(hits, ['haste'] as const)).map((hit) => ({
          ...hit,
          label: 'urgent' as const,
        })),
      ]);
  const damageSigns = hits.filter((hit) => hit.label === 'damage' && !hit.negated).length;
  // Damage happening, and the caller wants it seen to now ("today", "right away").
  const distress = damageSigns > 0 && hits.some((hit) => hit.label === 'right_now' && !hit.negated);
  // A customer whose finished work is damaging the home now ("water coming through the light below
  // the shower you installed") needs it seen to at once, whatever time they named.
  const damageNow = intent === 'existing_customer' && (damageSigns >= DAMAGE_SIGNS || distress);
  const timeline = damageNow && timelineFinding === undefined ? 'immediate' : timelineOf(timelineFinding);
  const customerTiming =
    intent === 'existing_customer' && timeline !== 'immediate' && timelineFinding !== undefined
      ? movesTheStart(reading, timelineFinding)
        ? timeline
        : 'unknown'
      : timeline;
  const budget = nonLead
    ? { indicator: 'unknown' as const, amount: undefined }
    : findBudget(
        reading.caller,
        only(hits, ['budget_high', 'budget_medium', 'budget_low'] as const).map((hit) => ({
          ...hit,
          label: hit.label.slice('budget_'.length) as 'high' | 'medium' | 'low',
        })),
      );
  // A pitch's friendliness is the pitch's; a wrong number's exasperation or warmth is the caller's; a
  // caller who said nothing, a word ("test") or only hellos has no tone to read.
  const thanksCall = hits.some((hit) => hit.label === 'thanks_call' && !hit.negated);
  const thanked = thanksCall || structure.thanksForWork;
  const sentiment =
    intent === 'unknown' && saidNothing(reading)
      ? 'unknown'
      : intent === 'spam'
        ? 'neutral'
        : decideSentiment(reading.caller, {
            tone: only(hits, ['tone_positive', 'tone_negative'] as const),
            distress,
            // Praise beside a fault ("quedó bonito, pero una puerta no cierra") is not a call to thank.
            thanks: thanksCall && intent === 'existing_customer',
          });
  const thanksOnly =
    thanked &&
    !reading.caller.some((sentence) => sentence.text.endsWith('?') || ASKS_FOR_SOMETHING.test(sentence.text));
  // A job seeker ("are you guys hiring?") asks the business something but is no lead, like a wrong number.
  const seeksWork =
    intent === 'information_seeking' && reading.caller.some((sentence) => SEEKS_WORK.test(sentence.text));
  const urgency = seeksWork
    ? 'low'
    : decideUrgency(intent, customerTiming, sentiment, hits, hasContent, thanksOnly);

  return {
    columns: { all, untimed: kept },
    fields: {
      intent,
      project_type: nonLead ? 'unknown' : projectType,
      timeline: customerTiming,
      budget_indicator: budget.indicator,
      sentiment,
      urgency,
    },
    hasContent,
    nonLead,
    urgencySettled: seeksWork || (intent === 'existing_customer' && sentiment !== 'negative' && thanksOnly),
    timelineHeard: timelineFinding?.heard,
    budgetAmount: budget.amount,
  };
}

const gatherers = new WeakMap<FeatureColumns, ColumnGatherer>();

/** One gatherer per table of columns: it keeps a mark per column between calls. */
function gathererOf(columns: FeatureColumns): ColumnGatherer {
  let gatherer = gatherers.get(columns);
  if (gatherer === undefined) {
    gatherer = new ColumnGatherer(columns, isTimeWord);
    gatherers.set(columns, gatherer);
  }
  return gatherer;
}

/**
 * The default analyzer: rules over the trade lexicon (trade-lexicon.ts) on the caller's words, read by
 * wink-nlp (sentences, negation, sentiment), and small linear models trained on the labelled calls for
 * intent, tone, urgency and problems to see to now (analysis-models.ts), which read the caller's words and
 * what the rules found. No network and no randomness: the same call always gets the same analysis,
 * thousands of times a second.
 */
export class EmbeddedAnalyzer implements Analyzer {
  readonly name = 'embedded';

  constructor(private readonly models: AnalysisModels = trainedModels()) {
    const { columns } = models.intent;
    if ([models.sentiment, models.urgency, models.now].some((model) => model.columns !== columns))
      throw new Error(
        'embedded analyzer: the models must share one table of columns (modelsFrom builds them so)',
      );
  }

  async analyze(call: RawCall, tenant: TenantConfig): Promise<AiAnalysis> {
    return this.analyzeNow(call, tenant);
  }

  /** Reads only the tenant's `analysis` block, so a worker thread can be given just that. */
  analyzeNow(
    call: RawCall,
    tenant: Pick<TenantConfig, 'analysis'>,
    reading: CallReading = readCall(call),
  ): AiAnalysis {
    const ruled = analyseByRules(call, tenant, this.models.intent, reading);
    const fields = weighByModels(ruled, this.models);
    const score = scoreLead(call, fields);
    const heard: string[] = [];
    if (!ruled.hasContent)
      heard.push(
        call.transcription === null && isPhoneCall(call)
          ? 'no transcript: scored from call data'
          : 'nothing said to analyse',
      );
    if (ruled.timelineHeard !== undefined && fields.timeline === ruled.fields.timeline)
      heard.push(`timeline from "${ruled.timelineHeard}"`);
    if (fields.timeline !== ruled.fields.timeline) heard.push('timeline immediate: a problem to see to now');
    if (ruled.budgetAmount !== undefined)
      heard.push(`budget about $${Math.round(ruled.budgetAmount).toLocaleString('en-US')}`);
    return { ...fields, ...score, score_reasons: [...score.score_reasons, ...heard], analyzer: this.name };
  }
}

/**
 * Where the analyzer asks each model (weighByModels); training learns each from the same cases. What the
 * guide fixes stays the rules': a caller who said nothing has no tone, a pitch's friendliness is not the
 * caller's, a pitch or a wrong number is not urgent and has no timeline, thanks-only calls and job seekers
 * are not urgent, and a time the rules found stands.
 */
export const ASKS_MODEL = {
  tone: (ruled: RuleAnalysis) =>
    ruled.hasContent && ruled.fields.sentiment !== 'unknown' && ruled.fields.intent !== 'spam',
  urgency: (ruled: RuleAnalysis) => ruled.hasContent && !ruled.nonLead && !ruled.urgencySettled,
  now: (ruled: RuleAnalysis) => ruled.hasContent && !ruled.nonLead && ruled.fields.timeline === 'unknown',
} as const;

/** How sure the tone model must be to overrule a tone the rules heard: 0.7 read each set as well as 0 and
 * kept more of the rules' clear readings (0.85 read the sets written apart a little worse). */
const OVERRULE_TONE_AT = 0.7;

/**
 * What the tone and timing models are given, column for column what training gave them
 * (toneFeatures, timingFeatures in call-features.ts), from the columns the intent model already looked up.
 */
export function modelColumns(
  ruled: RuleAnalysis,
  columns: FeatureColumns,
): { tone: GatheredColumns; timing: GatheredColumns } {
  const readings = columns.of(ruleReadingNames(ruled.fields));
  return {
    tone: withReadings(ruled.columns.all, readings),
    timing: withReadings(ruled.columns.untimed, readings),
  };
}

/**
 * Urgency as its model reads it, tone where the rules heard none or the model is sure, and a problem to
 * see to now where the rules found no time, each where ASKS_MODEL says. `ruled.columns` are in the columns
 * the four models share (the analyzer checks they do).
 */
function weighByModels(ruled: RuleAnalysis, models: AnalysisModels): RuleAnalysis['fields'] {
  const { fields } = ruled;
  if (!ruled.hasContent) return fields;
  const { tone, timing } = modelColumns(ruled, models.intent.columns);
  // The model hears tone the lexicon has no words for; a tone the rules heard in so many words it
  // overrules only when it is surer than not (OVERRULE_TONE_AT, chosen by set in `npm run eval`).
  const heard = ASKS_MODEL.tone(ruled)
    ? models.sentiment.predictColumns(tone.columns, tone.count)
    : undefined;
  const sentiment =
    heard !== undefined && (fields.sentiment === 'neutral' || heard.probability >= OVERRULE_TONE_AT)
      ? heard.label
      : fields.sentiment;
  const urgency = ASKS_MODEL.urgency(ruled)
    ? models.urgency.predictColumns(timing.columns, timing.count).label
    : fields.urgency;
  const timeline =
    ASKS_MODEL.now(ruled) && models.now.predictColumns(timing.columns, timing.count).label === 'now'
      ? 'immediate'
      : fields.timeline;
  return { ...fields, sentiment, urgency, timeline };
}

/** The rules' readings after the call's features, as training appends them (toneFeatures, timingFeatures). */
function withReadings(features: GatheredColumns, readings: Int32Array): GatheredColumns {
  const columns = [...features.columns];
  for (const column of readings) if (column >= 0) columns.push(column);
  return { columns, count: features.count + readings.length };
}
