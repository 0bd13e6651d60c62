import { describe, expect, it } from 'vitest';
import { analyse } from './labelled-cases.js';

describe('an existing customer told by their job in hand', () => {
  it.each([
    ['money paid on the job', 'Caller: Hi, did the balance for the deck job go through? I paid it Monday.'],
    [
      'the job they are known by',
      'Caller: Morning, it is Sue from the Birch Lane project. Is the dumpster coming?',
    ],
    [
      'its start moved',
      'Caller: Something came up at work, could we move the start of our bathroom to July?',
    ],
    ['a step awaited', 'Caller: I wanted to check when the vanity for our bathroom is being installed.'],
    [
      'someone the business sent',
      'Caller: The electrician you sent yesterday left the kitchen outlets dead.',
    ],
    ['the crew at fault', 'Caller: Your workers scratched the new kitchen floor and nobody said anything.'],
    [
      'the same complaint again',
      'Caller: I am calling for the third time about the bathroom door that sticks.',
    ],
    ['a job signed for', 'Caller: Hi, we signed for the kitchen last month, can I change the sink?'],
    [
      'a paper of the job asked again',
      'Caller: Could you resend the paint schedule for our basement? I lost it.',
    ],
    [
      'weeks with no one on the job, in Spanish',
      'Caller: Ya son dos semanas sin que vengan a trabajar en mi cocina.',
    ],
    ['a card charged', 'Caller: You guys charged my card twice for the deposit. I need that fixed.'],
    ['a bill received', 'Caller: I got the final invoice for the patio door and it is more than we agreed.'],
    [
      'the business’s people in the home',
      'Caller: Your painter was here Monday and left drips all over the trim.',
    ],
    ['saying so', 'Caller: Hi, I am an existing client, can you send me the care guide for the counters?'],
    ['a job late', 'Caller: We are three weeks past the move-in date on our addition and nobody calls me.'],
    ['a crew that did not come', 'Caller: The crew did not come today again and the kitchen has no sink.'],
    [
      'a contract in Spanish',
      'Caller: Firmamos el contrato para el baño, ¿podemos cambiar la fecha de inicio?',
    ],
    ['the crew praised', 'Caller: The team was wonderful. I want to pay the rest of the balance today.'],
    [
      'work done with the business',
      'Caller: We are doing the basement with you and I have a question on outlets.',
    ],
  ])('by %s', (_what, line) => {
    expect(analyse(['Agent: Acme Remodeling.', line]).intent).toBe('existing_customer');
  });

  it('by a person of the business who put something up', () => {
    const result = analyse(['Agent: Acme.', 'Caller: The shelf your guy put up in the kitchen fell down.']);
    expect(result.intent).toBe('existing_customer');
  });

  it('by the business’s people at the house, whatever else of the family’s they name', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      "Caller: Your plumber was here Friday and now water drips onto my daughter's desk downstairs.",
    ]);
    expect(result.intent).toBe('existing_customer');
  });

  it('but not a new caller asking when work could start', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: We want to redo our kitchen. How soon could you start, and can you send me a quote?',
    ]);
    expect(result.intent).toBe('quote_request');
  });
});
