import { describe, expect, it } from 'vitest';
import { analyse } from './labelled-cases.js';

describe('a caller who is no lead though they ask the business something', () => {
  it('is low urgency when they are looking for work there', () => {
    const result = analyse(['Caller: Are you guys hiring painters this summer?']);
    expect(result).toMatchObject({ intent: 'information_seeking', urgency: 'low' });
  });

  it('still reads a caller who wants work done on their home as a lead', () => {
    expect(analyse(["Caller: Do you do decks? I'm looking for some work on my deck."]).urgency).toBe(
      'medium',
    );
  });
});
