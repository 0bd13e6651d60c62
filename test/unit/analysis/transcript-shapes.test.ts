import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/embedded/embedded-analyzer.js';
import { splitTurns, type Turn } from '../../../src/analysis/embedded/transcript-turns.js';
import { rawCallFromCallRail } from '../../../src/producers/gateway/callrail-payload.js';
import { callFrom, loadLabelledCases, tenantWith } from './labelled-cases.js';

/** The labelled set's turns, by speaker, as its one-turn-a-line transcripts write them. */
const fixtureTurns = loadLabelledCases().flatMap(({ call }) =>
  (call.transcription ?? '').split('\n').flatMap((line): Turn[] => {
    const match = /^(Agent|Rep|Caller|Customer): (.+)$/.exec(line);
    if (!match?.[2]) return [];
    return [{ speaker: match[1] === 'Agent' || match[1] === 'Rep' ? 'agent' : 'caller', text: match[2] }];
  }),
);
const AGENT_SENTENCES = [...new Set(fixtureTurns.filter((t) => t.speaker === 'agent').map((t) => t.text))];
const CALLER_SENTENCES = [...new Set(fixtureTurns.filter((t) => t.speaker === 'caller').map((t) => t.text))];
/** How the business answers: a call in these shapes opens with it, as calls to a business do. */
const OPENINGS = AGENT_SENTENCES.filter((text) =>
  /thank(s| you) for calling|how (can|may) i help/i.test(text),
);

const WORDS = [
  'we',
  'need',
  'want',
  'a',
  'new',
  'kitchen',
  'bathroom',
  'roof',
  'quote',
  'estimate',
  'budget',
  'around',
  'fifty',
  'thousand',
  'dollars',
  'next',
  'week',
  'month',
  'asap',
  'maybe',
  'the',
  'counters',
  'leak',
  'um',
  'like,',
  'okay',
  'thanks',
  'great',
  'not',
  'sure',
  'at 3:30',
  'on',
  'Saturday',
  'please',
  'it',
];
const generatedSentence = fc
  .tuple(
    fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 14 }),
    fc.constantFrom('.', '?', '!', ''),
  )
  .map(([words, end]) => {
    const text = words.join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}${end}`;
  });

/** Sentences drawn without repeats, as a call does not say the same thing twice. */
function sentences(pool: readonly string[], count: number): fc.Arbitrary<string[]> {
  return fc
    .tuple(
      fc.uniqueArray(fc.constantFrom(...pool), { minLength: count, maxLength: count }),
      fc.array(fc.option(generatedSentence, { freq: 3 }), { minLength: count, maxLength: count }),
    )
    .map(([drawn, generated]) => drawn.map((text, i) => generated[i] ?? text));
}

/**
 * A call: the business's greeting, then at least two caller and two agent turns in any order after the
 * caller's first, from the labelled set's sentences and generated ones.
 */
const conversation: fc.Arbitrary<Turn[]> = fc
  .record({
    opening: fc.constantFrom(...OPENINGS),
    order: fc.shuffledSubarray(['agent', 'agent', 'agent', 'caller', 'caller', 'caller', 'caller'] as const, {
      minLength: 3,
    }),
    agent: sentences(AGENT_SENTENCES, 4),
    caller: sentences(CALLER_SENTENCES, 6),
  })
  .map(({ opening, order, agent, caller }) => {
    const speakers = ['caller', ...order, 'agent', 'caller'] as const;
    const next = { agent: 0, caller: 0 };
    const turns: Turn[] = [{ speaker: 'agent', text: opening }];
    for (const speaker of speakers) {
      const pool = speaker === 'agent' ? agent : caller;
      turns.push({ speaker, text: pool[next[speaker]] ?? '' });
      next[speaker] += 1;
    }
    return turns;
  });

type Labels = Record<Turn['speaker'], string>;
const clock = (i: number) => `${Math.floor((i * 17) / 60)}:${String((i * 17) % 60).padStart(2, '0')}`;
const written = (turns: readonly Turn[], labels: Labels, between: string, prefix = (_i: number) => '') =>
  turns.map(({ speaker, text }, i) => `${prefix(i)}${labels[speaker]}: ${text}`).join(between);

const AGENT_CALLER: Labels = { agent: 'Agent', caller: 'Caller' };
const SPEAKERS: Labels = { agent: 'Speaker 1', caller: 'Speaker 2' };
const NAMES: Labels = { agent: 'Dana', caller: 'Mike' };

function viaCallRail(conversationalTranscript: unknown): string {
  const call = rawCallFromCallRail(
    { resource_id: 'CAL1', answered: true, conversational_transcript: conversationalTranscript as string },
    'tenant_eval',
    0,
  );
  return call.transcription ?? '';
}

/** Each shape a transcript reaches the analyzer in, from the same turns. */
const SHAPES: ReadonlyArray<[string, (turns: readonly Turn[]) => string]> = [
  ['labels inline on one line', (turns) => written(turns, AGENT_CALLER, ' ')],
  ['turns between blank lines', (turns) => written(turns, AGENT_CALLER, '\n\n')],
  ['Windows line ends', (turns) => written(turns, AGENT_CALLER, '\r\n')],
  ['REP and CUSTOMER inline', (turns) => written(turns, { agent: 'REP', caller: 'CUSTOMER' }, ' ')],
  [
    'agent and caller in lower case, inline',
    (turns) => written(turns, { agent: 'agent', caller: 'caller' }, ' '),
  ],
  ['Speaker 1 and Speaker 2, one a line', (turns) => written(turns, SPEAKERS, '\n')],
  ['Speaker 1 and Speaker 2, inline', (turns) => written(turns, SPEAKERS, ' ')],
  [
    'Speaker A and Speaker B, inline',
    (turns) => written(turns, { agent: 'Speaker A', caller: 'Speaker B' }, ' '),
  ],
  ['Agente and Cliente, one a line', (turns) => written(turns, { agent: 'Agente', caller: 'Cliente' }, '\n')],
  [
    'AGENT and CALLER in upper case, (m:ss) before each inline label',
    (turns) => written(turns, { agent: 'AGENT', caller: 'CALLER' }, ' ', (i) => `(${clock(i)}) `),
  ],
  [
    'Speaker 1 and Speaker 2, [mm:ss] before each line',
    (turns) => written(turns, SPEAKERS, '\n', (i) => `[${clock(i)}] `),
  ],
  ['names, one a line', (turns) => written(turns, NAMES, '\n')],
  ['names inline', (turns) => written(turns, NAMES, ' ')],
  ['[mm:ss] before each line', (turns) => written(turns, AGENT_CALLER, '\n', (i) => `[${clock(i)}] `)],
  ['m:ss - before each inline label', (turns) => written(turns, AGENT_CALLER, ' ', (i) => `${clock(i)} - `)],
  [
    'a timestamp between label and colon',
    (turns) => turns.map(({ speaker, text }, i) => `${SPEAKERS[speaker]} (${clock(i)}): ${text}`).join('\n'),
  ],
  [
    'each label on its own line',
    (turns) => turns.map(({ speaker, text }) => `${AGENT_CALLER[speaker]}:\n${text}`).join('\n'),
  ],
  [
    "CallRail's conversational_transcript turns",
    (turns) =>
      viaCallRail(
        turns.map(({ speaker, text }) => ({
          speaker: speaker === 'agent' ? 'Agent' : 'Customer',
          phrase: text,
        })),
      ),
  ],
  [
    "CallRail's conversational_transcript by channel, as a JSON string",
    (turns) =>
      viaCallRail(
        JSON.stringify(
          turns.map(({ speaker, text }) => ({ channel: speaker === 'agent' ? 0 : 1, content: text })),
        ),
      ),
  ],
];

const analyzer = new EmbeddedAnalyzer();
const tenant = tenantWith();
const analysisOf = (transcript: string) =>
  analyzer.analyzeNow(callFrom({ id: 'shape', transcript: [transcript], duration_seconds: 150 }), tenant);

describe('every transcript shape', () => {
  it('is read into the turns it was written from, one turn a line', () => {
    fc.assert(
      fc.property(conversation, (turns) => {
        expect(splitTurns(written(turns, AGENT_CALLER, '\n'))).toEqual(turns);
      }),
    );
  });

  it.each(SHAPES)('%s: the same turns and the same analysis as one turn a line', (_shape, shape) => {
    fc.assert(
      fc.property(conversation, (turns) => {
        const transcript = shape(turns);
        expect(splitTurns(transcript)).toEqual(turns);
        expect(analysisOf(transcript)).toEqual(analysisOf(written(turns, AGENT_CALLER, '\n')));
      }),
      { numRuns: 60 },
    );
  });
});

describe('a call with its labels inline (the measured bug)', () => {
  const INLINE_CALL =
    "Agent: Thank you for calling Hill Country Remodeling, this is Marcus, how can I help you? Caller: Hi, I'd like to get a quote for a full kitchen remodel, new cabinets and quartz counters. Agent: Sure, do you have a budget in mind? Caller: We have about eighty thousand dollars set aside. Agent: And when would you want to start? Caller: As soon as possible, within the next few days if you can.";

  it('is scored from what the caller said, not as a call with nothing said at 19', () => {
    const analysis = analyzer.analyzeNow(
      callFrom({ id: 'inline-quote', transcript: [INLINE_CALL], duration_seconds: 45 }),
      tenant,
    );
    expect(analysis).toMatchObject({
      intent: 'quote_request',
      project_type: 'kitchen',
      timeline: 'immediate',
      budget_indicator: 'high',
      urgency: 'high',
    });
    expect(analysis.lead_score).toBeGreaterThan(19);
    expect(analysis.score_reasons).not.toContain('nothing said to analyse');
  });
});
