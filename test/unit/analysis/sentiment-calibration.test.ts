import { describe, expect, it } from 'vitest';
import { analyse } from './labelled-cases.js';

function sentimentOf(transcript: string[]) {
  return analyse(transcript).sentiment;
}

describe('sentiment: what is routine and what is tone', () => {
  it('hears surprise and an apology exclaimed by a caller who dialled wrong as neutral, not warm', () => {
    expect(
      sentimentOf([
        'Agent: Good morning, Ridgeway Remodeling.',
        'Caller: Oh! Is this the pizza place on Fifth?',
        'Agent: No, this is a remodeling company.',
        'Caller: Oops! My bad, sorry to bother you!',
      ]),
    ).toBe('neutral');
  });

  it('still hears an exclamation of delight as warm', () => {
    expect(
      sentimentOf([
        'Agent: Good morning, Ridgeway Remodeling.',
        'Caller: Hi! We finally closed on the house and we want a quote for the kitchen. Oh, we are over the moon!',
      ]),
    ).toBe('positive');
  });

  it('hears praise said to the business as warm, though the rest of the call is logistics', () => {
    expect(
      sentimentOf([
        'Agent: Maple Street Builders.',
        'Caller: Hi, we want to add a sunroom off the back. The plans are drawn.',
        'Agent: Great, when would you start?',
        'Caller: In May. Budget is around ninety thousand. My neighbor says your crew was wonderful.',
      ]),
    ).toBe('positive');
  });

  it('does not hear a question to the business said without its question mark as praise', () => {
    expect(
      sentimentOf([
        'agent maple street builders',
        'caller yeah hi do you guys do like nice kitchens out in cedar falls',
        'agent yes we do',
        'caller okay thanks',
      ]),
    ).toBe('neutral');
  });

  it('hears a warm word said as an ironic aside after a fault as displeasure', () => {
    expect(
      sentimentOf([
        'Agent: Northgate Kitchens.',
        'Caller: Hi, the island you installed Friday is two inches lower than the counters. It wobbles.',
        'Agent: Oh no, let me get the installer on the phone.',
        'Caller: The tile looks great. Just great.',
      ]),
    ).toBe('negative');
  });

  it('still hears a bare warm word after good news as warm', () => {
    expect(
      sentimentOf([
        'Agent: Northgate Kitchens.',
        'Caller: Hi, calling about the estimate for our kitchen. We would like to go ahead and we are so happy with the design.',
        'Agent: We can start the week of the 4th.',
        'Caller: Wonderful. Thank you so much.',
      ]),
    ).toBe('positive');
  });

  it('hears despair said in Spanish as displeasure', () => {
    expect(
      sentimentOf([
        'Agente: Remodelaciones Sol, buenas tardes.',
        'Cliente: Buenas tardes. Necesito cambiar la regadera del baño, ya no sirve. Estoy desesperada.',
      ]),
    ).toBe('negative');
  });
});

describe('sentiment: a call made to thank for the work', () => {
  it('is warm even when its words are plain, and its score says so', () => {
    const result = analyse([
      'Agent: Oakfield Remodeling.',
      'Caller: Hi, this is Joan Park. You did our bathroom in March and I just wanted to say thank you. The crew came on time every day and cleaned up after themselves.',
      'Agent: That is kind of you, I will tell them.',
    ]);
    expect(result.sentiment).toBe('positive');
    expect(result.score_reasons).toContain('+5 sentiment positive');
  });
});

describe('urgency: haste and the time it belongs to', () => {
  it('reads haste said of a later time as that time, not as an urgent call', () => {
    const result = analyse([
      'Agent: Birchwood Renovations.',
      'Caller: Hi, we are buying a condo and want the kitchen redone. We close in June and want to start right away after that.',
      'Agent: Any budget in mind?',
      'Caller: About forty thousand.',
    ]);
    expect([result.timeline, result.urgency]).toEqual(['1-3_months', 'medium']);
  });

  it('still reads haste with no other time as urgent', () => {
    const result = analyse([
      'Agent: Birchwood Renovations.',
      'Caller: Hi, I need a quote on a new vanity for the hall bath as soon as possible.',
    ]);
    expect(result.urgency).toBe('high');
  });
});
