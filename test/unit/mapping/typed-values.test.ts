import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import { coerceTyped, matchOption } from '../../../src/mapping/typed-values.js';

const PROJECT_PICKLIST = ['Kitchen', 'Bathroom', 'Whole Home', 'Addition', 'Unknown'];
const PROJECT_OPTIONS = [
  { label: 'Kitchen', value: 'kitchen' },
  { label: 'Whole Home', value: 'whole_home' },
];

describe('typed custom property values', () => {
  it("fails in the guide's words on a wrong type, as a field_mapping_error", () => {
    const attempt = () => coerceTyped('ai_lead_score', 'number', '92');
    expect(attempt).toThrow('Invalid value for field ai_lead_score: expected number, got string');
    expect(attempt).toThrow(expect.objectContaining({ type: 'field_mapping_error', retryable: false }));
  });

  it('writes dates and datetimes in the forms CRMs take', () => {
    expect(coerceTyped('follow_up', 'date', '2026-11-26T10:00:00Z')).toBe('2026-11-26');
    expect(coerceTyped('called_at', 'datetime', '2026-11-26T10:00:00+01:00')).toBe(
      '2026-11-26T09:00:00.000Z',
    );
    expect(() => coerceTyped('follow_up', 'date', 'next tuesday')).toThrow(/expected date, got string/);
  });

  it('refuses text Date.parse reads loosely rather than write a wrong or six-digit-year date', () => {
    for (const text of ['1', 'March 7, 2026', '2026-02-30', '2026-11-25junk', '+275760-09-13']) {
      expect(() => coerceTyped('follow_up', 'date', text), text).toThrow(/expected date, got string/);
      expect(() => coerceTyped('called_at', 'datetime', text), text).toThrow(/expected datetime, got string/);
    }
    expect(coerceTyped('follow_up', 'date', '2024-02-29')).toBe('2024-02-29');
  });

  it('leaves out a missing value instead of writing an empty one', () => {
    expect(coerceTyped('ai_lead_score', 'number', null)).toBeNull();
  });

  it('matches an analysis value to a Salesforce picklist label and a label to a HubSpot value', () => {
    expect(coerceTyped('AI_Project_Type__c', 'enumeration', 'whole_home', PROJECT_PICKLIST)).toBe(
      'Whole Home',
    );
    expect(coerceTyped('ai_project_type', 'enumeration', 'Whole Home', PROJECT_OPTIONS)).toBe('whole_home');
    expect(coerceTyped('ai_project_type', 'enumeration', 'kitchen', PROJECT_OPTIONS)).toBe('kitchen');
  });

  it('names the allowed options when a value is none of them', () => {
    expect(() => coerceTyped('ai_project_type', 'enumeration', 'garage', PROJECT_OPTIONS)).toThrow(
      'Invalid value for field ai_project_type: expected one of kitchen, whole_home, got "garage"',
    );
  });

  it('only ever answers an option value, whatever text comes in', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const matched = matchOption(text, PROJECT_PICKLIST);
        expect(matched === undefined || PROJECT_PICKLIST.includes(matched)).toBe(true);
        try {
          const value = coerceTyped('f', 'enumeration', text, PROJECT_PICKLIST);
          expect(value === null || PROJECT_PICKLIST.includes(String(value))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(LeadstreamError);
        }
      }),
    );
  });
});
