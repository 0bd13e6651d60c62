import { describe, expect, it } from 'vitest';
import { analyse } from './labelled-cases.js';

describe("an existing customer's urgency", () => {
  it.each([
    [
      'to pay',
      'You finished our bathroom last month and I wanted to say thanks. I am calling to pay the last invoice.',
    ],
    [
      'for a quote',
      'You did our kitchen in March and I wanted to say thank you. I want you to quote the laundry room next.',
    ],
  ])('is medium when a thank-you call also asks %s', (_what, line) => {
    expect(analyse(['Agent: Acme Remodeling.', `Caller: ${line}`]).urgency).toBe('medium');
  });
});
