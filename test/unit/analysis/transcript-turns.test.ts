import { describe, expect, it } from 'vitest';
import { splitTurns, type Turn, withoutFillers } from '../../../src/analysis/embedded/transcript-turns.js';

describe('filler words', () => {
  it('are taken out in any case, and "like" only where commas set it off', () => {
    expect(withoutFillers('Um, so uh we, like, want a kitchen like this. Hmm. Erm, yes')).toBe(
      'so we, want a kitchen like this. yes',
    );
  });

  it('take "uh-huh" out whole', () => {
    expect(withoutFillers('Uh-huh, and the bathroom too')).toBe('and the bathroom too');
  });

  it('are read by Unicode case folding: the Kelvin sign is a K, the long s a letter of the word', () => {
    expect(withoutFillers('we, li\u212Ae, want it')).toBe('we, want it');
    expect(withoutFillers('um\u017F then um done')).toBe('um\u017F then done');
  });
});

const KITCHEN_TURNS: Turn[] = [
  { speaker: 'agent', text: 'Thank you for calling Hill Country Remodeling, how can I help?' },
  { speaker: 'caller', text: 'Hi, we want a quote for our kitchen. Budget: about 40k.' },
  { speaker: 'agent', text: 'And when would you like to start?' },
  { speaker: 'caller', text: 'Next week if you can.' },
];

describe('transcript shapes', () => {
  it.each([
    [
      'one turn a line',
      'Agent: Thank you for calling Hill Country Remodeling, how can I help?\nCaller: Hi, we want a quote for our kitchen. Budget: about 40k.\nAgent: And when would you like to start?\nCaller: Next week if you can.',
    ],
    [
      'labels inline on one line',
      'Agent: Thank you for calling Hill Country Remodeling, how can I help? Caller: Hi, we want a quote for our kitchen. Budget: about 40k. Agent: And when would you like to start? Caller: Next week if you can.',
    ],
    [
      'blank lines between turns',
      'Agent: Thank you for calling Hill Country Remodeling, how can I help?\n\nCaller: Hi, we want a quote for our kitchen. Budget: about 40k.\r\n\r\nAgent: And when would you like to start?\n\nCaller: Next week if you can.\n',
    ],
    [
      'Rep and Customer in capitals, inline',
      'REP: Thank you for calling Hill Country Remodeling, how can I help? CUSTOMER: Hi, we want a quote for our kitchen. Budget: about 40k. REP: And when would you like to start? CUSTOMER: Next week if you can.',
    ],
    [
      'agent and caller in lower case',
      'agent: Thank you for calling Hill Country Remodeling, how can I help?\ncaller: Hi, we want a quote for our kitchen. Budget: about 40k.\nagent: And when would you like to start?\ncaller: Next week if you can.',
    ],
    [
      'Speaker 1 and Speaker 2, inline',
      'Speaker 1: Thank you for calling Hill Country Remodeling, how can I help? Speaker 2: Hi, we want a quote for our kitchen. Budget: about 40k. Speaker 1: And when would you like to start? Speaker 2: Next week if you can.',
    ],
    [
      'names, one a line',
      'Dana: Thank you for calling Hill Country Remodeling, how can I help?\nMike: Hi, we want a quote for our kitchen. Budget: about 40k.\nDana: And when would you like to start?\nMike: Next week if you can.',
    ],
    [
      'names inline',
      'Dana: Thank you for calling Hill Country Remodeling, how can I help? Mike: Hi, we want a quote for our kitchen. Budget: about 40k. Dana: And when would you like to start? Mike: Next week if you can.',
    ],
    [
      'bracketed timestamps before the labels',
      '[00:00] Agent: Thank you for calling Hill Country Remodeling, how can I help?\n[00:04] Caller: Hi, we want a quote for our kitchen. Budget: about 40k.\n[00:11] Agent: And when would you like to start?\n[00:13] Caller: Next week if you can.',
    ],
    [
      'dashed timestamps, inline',
      '0:00 - Agent: Thank you for calling Hill Country Remodeling, how can I help? 0:04 - Caller: Hi, we want a quote for our kitchen. Budget: about 40k. 0:11 - Agent: And when would you like to start? 0:13 - Caller: Next week if you can.',
    ],
    [
      'a timestamp between label and colon',
      'Speaker A (00:00): Thank you for calling Hill Country Remodeling, how can I help?\nSpeaker B (00:04): Hi, we want a quote for our kitchen. Budget: about 40k.\nSpeaker A (00:11): And when would you like to start?\nSpeaker B (00:13): Next week if you can.',
    ],
    [
      'each label on its own line',
      'Agent:\nThank you for calling Hill Country Remodeling, how can I help?\nCaller:\nHi, we want a quote for our kitchen. Budget: about 40k.\nAgent:\nAnd when would you like to start?\nCaller:\nNext week if you can.',
    ],
  ])('%s reads as the same four turns', (_shape, transcript) => {
    expect(splitTurns(transcript)).toEqual(KITCHEN_TURNS);
  });

  it('takes the speaker who greets with the business for the agent, though the caller spoke first', () => {
    expect(
      splitTurns(
        'Speaker 1: Hello? Is this the roofing company? Speaker 2: Yes, thanks for calling Top Roofing, how can I help? Speaker 1: I need a roof repair.',
      ),
    ).toEqual([
      { speaker: 'caller', text: 'Hello? Is this the roofing company?' },
      { speaker: 'agent', text: 'Yes, thanks for calling Top Roofing, how can I help?' },
      { speaker: 'caller', text: 'I need a roof repair.' },
    ]);
  });

  it('without a greeting, takes the first of two speakers for the business that answered', () => {
    expect(splitTurns('Speaker 1: Hello. Speaker 2: I need a roof repair. Speaker 1: Sure.')).toEqual([
      { speaker: 'agent', text: 'Hello.' },
      { speaker: 'caller', text: 'I need a roof repair.' },
      { speaker: 'agent', text: 'Sure.' },
    ]);
  });

  it('without a greeting, takes a first speaker who talks like a caller for the caller', () => {
    expect(
      splitTurns(
        [
          'Speaker 1: Hi this is Grace, I had a consultation booked for Tuesday for my kitchen and I need to move it.',
          'Speaker 2: Sure, Grace, let me pull it up.',
          'Speaker 1: Can we do Thursday instead?',
        ].join('\n'),
      ).map(({ speaker }) => speaker),
    ).toEqual(['caller', 'agent', 'caller']);
  });

  it('reads role words without colons, as speech-to-text writes them, one a line or inline', () => {
    const expected: Turn[] = [
      { speaker: 'agent', text: 'hello pine grove builders' },
      { speaker: 'caller', text: 'hi is this the pharmacy' },
      { speaker: 'agent', text: 'no this is pine grove builders' },
      { speaker: 'caller', text: 'oh sorry' },
    ];
    const lines = [
      'agent hello pine grove builders',
      'caller hi is this the pharmacy',
      'agent no this is pine grove builders',
      'caller oh sorry',
    ];
    expect(splitTurns(lines.join('\n'))).toEqual(expected);
    expect(splitTurns(lines.join(' '))).toEqual(expected);
    // A voicemail whose words merely include a role word is still all the caller's.
    expect(splitTurns('hi this is kyle the caller from yesterday call me back')).toEqual([
      { speaker: 'caller', text: 'hi this is kyle the caller from yesterday call me back' },
    ]);
  });

  it('reads "rep"/"customer" and "speaker a"/"speaker b" without colons in one unpunctuated line', () => {
    expect(
      splitTurns(
        'rep good afternoon cornerstone kitchens customer i called three times rep sorry about that',
      ),
    ).toEqual([
      { speaker: 'agent', text: 'good afternoon cornerstone kitchens' },
      { speaker: 'caller', text: 'i called three times' },
      { speaker: 'agent', text: 'sorry about that' },
    ]);
    expect(
      splitTurns(
        'speaker a thank you for calling luxe kitchens speaker b hi can we get a consult speaker a sure',
      ),
    ).toEqual([
      { speaker: 'agent', text: 'thank you for calling luxe kitchens' },
      { speaker: 'caller', text: 'hi can we get a consult' },
      { speaker: 'agent', text: 'sure' },
    ]);
  });

  it('reads Spanish role labels, whoever speaks first', () => {
    expect(
      splitTurns('Cliente: Hola, ustedes terminaron mi cocina. Agente: Sí, señora, ¿cómo está?'),
    ).toEqual([
      { speaker: 'caller', text: 'Hola, ustedes terminaron mi cocina.' },
      { speaker: 'agent', text: 'Sí, señora, ¿cómo está?' },
    ]);
  });

  it('keeps a capitalised word before a colon in the sentence when it is not a recurring speaker', () => {
    expect(
      splitTurns(
        'Ana: Gracias por llamar, how can I help? Luis: Queremos remodelar. Todo: cocina, baños, pisos. Ana: Perfecto. Luis: Gracias.',
      ).map(({ speaker, text }) => `${speaker}: ${text}`),
    ).toEqual([
      'agent: Gracias por llamar, how can I help?',
      'caller: Queremos remodelar. Todo: cocina, baños, pisos.',
      'agent: Perfecto.',
      'caller: Gracias.',
    ]);
  });

  it('keeps a role word written in another case than the labels in the sentence', () => {
    expect(
      splitTurns('Agent: Hi, how can I help? Caller: I am an existing customer: the Smith job.'),
    ).toEqual([
      { speaker: 'agent', text: 'Hi, how can I help?' },
      { speaker: 'caller', text: 'I am an existing customer: the Smith job.' },
    ]);
  });

  it('finds inline names and roles in transcripts without punctuation', () => {
    expect(
      splitTurns('Dana: thanks for calling how can i help Mike: i need a roof Dana: ok thanks Mike: bye'),
    ).toEqual([
      { speaker: 'agent', text: 'thanks for calling how can i help' },
      { speaker: 'caller', text: 'i need a roof' },
      { speaker: 'agent', text: 'ok thanks' },
      { speaker: 'caller', text: 'bye' },
    ]);
  });

  it('reads a transcript without labels as the caller, a timestamp taken off, a clock in the text kept', () => {
    expect(splitTurns('[00:00] Hi, this is Tony.\n[00:03] Call me back at 3:30 about the bathroom.')).toEqual(
      [{ speaker: 'caller', text: 'Hi, this is Tony. Call me back at 3:30 about the bathroom.' }],
    );
  });
});

describe('a hostile transcript', () => {
  it('with a long run of spaces after a sentence is split in well under a second (it took six)', () => {
    const started = performance.now();
    const turns = splitTurns(`Dana: Hi.${' '.repeat(90_000)}Mike: ok`);
    expect(performance.now() - started).toBeLessThan(500);
    expect(turns).toHaveLength(1);
  });
});
