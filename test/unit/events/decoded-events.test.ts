import { describe, expect, it } from 'vitest';
import { asCrmCommand, asEnrichedCall } from '../../../src/events/decoded-events.js';

const call = { tenant_id: 't', call_id: 'c' };
const analysis = { timeline: 'immediate', lead_score: 50 };

describe('decoded event rules Avro cannot express', () => {
  it('accepts a well-formed enriched call', () => {
    expect(() => asEnrichedCall({ call, ai_analysis: analysis })).not.toThrow();
  });

  it('rejects a timeline outside the documented values', () => {
    expect(() => asEnrichedCall({ call, ai_analysis: { ...analysis, timeline: 'soonish' } })).toThrow(
      /timeline "soonish"/,
    );
  });

  it('rejects a lead score outside 0-100', () => {
    expect(() => asEnrichedCall({ call, ai_analysis: { ...analysis, lead_score: 101 } })).toThrow(
      /lead_score 101/,
    );
  });

  it('rejects a command whose payload is not a JSON object', () => {
    const operations = [{ ref: 'contact', payload_json: '[1]' }];
    expect(() => asCrmCommand({ operations })).toThrow(/contact: payload_json is not an object/);
  });

  it("rejects a command whose contact key is another tenant's, which would order it with that tenant", () => {
    const command = { tenant_id: 'acme', operations: [], contact_key: 'acme-west:phone:0f' };
    expect(() => asCrmCommand(command)).toThrow(/contact_key/);
    expect(() => asCrmCommand({ ...command, contact_key: 'acme:phone:0f' })).not.toThrow();
    expect(() => asCrmCommand({ ...command, contact_key: null })).not.toThrow();
  });
});
