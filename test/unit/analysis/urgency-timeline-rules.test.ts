import { describe, expect, it } from 'vitest';
import { analyse } from './labelled-cases.js';

describe('timeline words that are not times', () => {
  it.each([
    [
      '"fall" with a particle after it',
      'The deck boards are about to fall apart, we want them replaced right away.',
    ],
    ['"fall" after a modal', 'The shelf in the pantry could fall any day, we need it fixed immediately.'],
  ])('does not take %s for autumn', (_what, line) => {
    expect(analyse([`Caller: ${line}`])).toMatchObject({ timeline: 'immediate', urgency: 'high' });
  });

  it('still hears the season', () => {
    expect(analyse(['Caller: We would like the kitchen done this fall.']).timeline).toBe('3-6_months');
  });
});

describe('a time the caller puts off with a negation', () => {
  it.each([
    [
      '"won\'t ... till" a season',
      "We'd like a new bathroom, but we won't be ready till the fall.",
      '3-6_months',
    ],
    ['"not until" next year', 'Thinking about an addition, probably not until next year.', '6+_months'],
  ])('reads %s as that time', (_what, line, timeline) => {
    expect(analyse([`Caller: ${line}`])).toMatchObject({ timeline, urgency: 'low' });
  });
});

it('reads a month given in answer to a timing question as the timeline, though said with "started"', () => {
  const result = analyse([
    'Caller: We want the hall bath redone, new tub and tile.',
    'Agent: Okay, and timing?',
    'Caller: Hopefully started by early July.',
  ]);
  expect(result).toMatchObject({ timeline: '1-3_months', urgency: 'medium' });
});

it("reads a range chosen on a form as the timeline, whatever the field's name", () => {
  const result = analyse([], {
    source_kind: 'web_form',
    form_fields: { Project: 'Bathroom', Horizon: '4-6 months', Message: 'Looking to redo our guest bath.' },
  });
  expect(result).toMatchObject({ timeline: '3-6_months', urgency: 'low' });
});

it('hears "I need somebody to ... right now" as a timeline of now', () => {
  const result = analyse([
    'Caller: Our old contractor quit halfway and the stairs have no railing. I need somebody to price finishing the job right now.',
  ]);
  expect(result).toMatchObject({ timeline: 'immediate', urgency: 'high' });
});

it.each([
  ['aimed at with "for"', ['Caller: We want a price on a new master shower. Shooting for October.']],
  ['said as a sentence alone', ['Caller: New master shower, I need a price.', 'Caller: October.']],
])('reads a month %s', (_what, transcript) => {
  expect(analyse(transcript)).toMatchObject({ timeline: '3-6_months', urgency: 'low' });
});

it('reads "the end of summer" as late summer, three to six months from mid-April', () => {
  const result = analyse([
    'Caller: Looking for a price on a powder room, we want it wrapped up by the end of the summer.',
  ]);
  expect(result).toMatchObject({ timeline: '3-6_months', urgency: 'low' });
});

it('reads "this month or two" as one to three months, not within weeks', () => {
  const result = analyse(['Caller: I need a quote on a new vanity, hoping to get it in this month or two.']);
  expect(result).toMatchObject({ timeline: '1-3_months', urgency: 'medium' });
});

it.each([
  ['moved away from', 'Hi, I need to move my design consult from tomorrow, is Friday afternoon open?'],
  ['spent away', 'We need to shift the tile crew, we are away on vacation this week.'],
])('does not take a day %s for when the work is wanted', (_what, line) => {
  expect(analyse([`Caller: ${line}`]).timeline).not.toBe('immediate');
});

it.each([
  [
    '"before the Fourth of July"',
    'We want a quote on a patio door and we would like it in before the Fourth of July.',
  ],
  ['"by Memorial Day"', 'Price out a new guest bath for us, we want it done by Memorial Day.'],
])('reads a holiday, %s, as a time', (_what, line) => {
  expect(analyse([`Caller: ${line}`])).toMatchObject({ timeline: '1-3_months', urgency: 'medium' });
});

it.each([
  [
    '"June or July" by its middle, one to three months',
    'A new tub surround, maybe June or July.',
    '1-3_months',
  ],
  [
    '"July or August" by its middle, three to six months',
    'A new tub surround, probably July or August.',
    '3-6_months',
  ],
])('reads two months named as one span: %s', (_what, line, timeline) => {
  expect(analyse([`Caller: I need a price on ${line}`]).timeline).toBe(timeline);
});

it('does not take the month of a loss ("my father passed in February") for a timeline', () => {
  const result = analyse([
    'Caller: My father passed in February and left us his house. We want a quote on opening up the kitchen.',
  ]);
  expect(result).toMatchObject({ timeline: 'unknown', urgency: 'medium' });
});
