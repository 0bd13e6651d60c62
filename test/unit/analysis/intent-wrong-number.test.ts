import { describe, expect, it } from 'vitest';
import { analyse } from './labelled-cases.js';

describe('a wrong number', () => {
  it('is the caller the agent plainly told they have the wrong number', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: Hello, I am calling about the used piano you listed?',
      'Agent: I am afraid you have the wrong number.',
    ]);
    expect(result.intent).toBe('wrong_number');
  });

  it('is a message meant for family', () => {
    const result = analyse(['Caller: Hey Tommy, this is Dad. Give me a ring tonight, love you.'], {
      answered: false,
      voicemail: true,
    });
    expect(result.intent).toBe('wrong_number');
  });

  it('is the caller the agent tells this is not the place, who accepts it', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: Hi, I need to book a table for four at seven.',
      'Agent: Sorry, this is not the restaurant.',
      'Caller: Oh. My mistake.',
    ]);
    expect(result.intent).toBe('wrong_number');
  });

  it('but a customer who loves the crew is not one', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: We love you guys, the kitchen turned out beautiful. Can someone fix one cabinet door?',
    ]);
    expect(result.intent).toBe('existing_customer');
  });
});
