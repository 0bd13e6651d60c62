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

  it('is medium for an upset customer who wants a cosmetic fault seen to today', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: You did our bathroom in January and the paint on the door is already flaking. This is ridiculous. Today, please.',
    ]);
    expect(result).toMatchObject({ intent: 'existing_customer', urgency: 'medium' });
  });

  it('is high for a customer whose floor is wet from the work and wants someone today ("todo mojado")', () => {
    const result = analyse([
      'Agente: Remodelaciones Sol.',
      'Cliente: Ustedes me pusieron la regadera hace poco y ahora el piso del pasillo está todo mojado. Por favor, vengan hoy.',
    ]);
    expect(result).toMatchObject({ intent: 'existing_customer', urgency: 'high' });
  });

  it("does not take the timing of a customer's next job for the call's timeline", () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: Hi, this is Dana, you guys are doing our basement. Quick question on the paint. Also we are thinking about the porch next, maybe in the fall, can you quote that too?',
    ]);
    expect(result).toMatchObject({ intent: 'existing_customer', timeline: 'unknown', urgency: 'medium' });
  });

  it('takes the date a customer moves their start to as the timeline', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: We signed for the hall bath last month. Could we push our start back to late June?',
    ]);
    expect(result).toMatchObject({ intent: 'existing_customer', timeline: '1-3_months', urgency: 'medium' });
  });

  it.each([
    [
      'an English date',
      'We signed for the kitchen in March. Can we move our start from May 4th to July 6th?',
    ],
    [
      'a Spanish date',
      'Ya firmamos el contrato del baño con ustedes. Queremos mover el inicio al 8 de junio, ¿se puede?',
    ],
  ])('reads the new start given as %s', (_what, line) => {
    expect(analyse(['Agent: Acme Remodeling.', `Caller: ${line}`])).toMatchObject({
      intent: 'existing_customer',
      timeline: '1-3_months',
    });
  });

  it('is medium, with no timeline, for a customer who only wants to be answered today', () => {
    const result = analyse([
      'Agent: Acme Remodeling.',
      'Caller: You are redoing our hall bath and I still have no schedule for the tile. I want a call back today. Today.',
    ]);
    expect(result).toMatchObject({ intent: 'existing_customer', timeline: 'unknown', urgency: 'medium' });
  });
});
