import { describe, expect, it } from 'vitest';
import { columnValue } from '../../../../src/crm/monday/column-values.js';
import type { LeadstreamError } from '../../../../src/errors/leadstream-error.js';

const transcript = 'Caller: Hi, we want to redo the kitchen, about fifty thousand, and there is no rush.';

function refusal(type: string, value: string | number | boolean): LeadstreamError {
  try {
    columnValue({ id: 'col_1', title: 'Budget', type }, value);
  } catch (error) {
    return error as LeadstreamError;
  }
  throw new Error(`a ${type} column took ${JSON.stringify(value)}`);
}

describe('Monday column values', () => {
  it.each(['numbers', 'date', 'phone', 'rating'])(
    'refuses text a %s column cannot take, naming the column but not quoting the text',
    (type) => {
      const error = refusal(type, transcript);
      expect(error).toMatchObject({ type: 'field_mapping_error', retryable: false });
      expect(error.message).toContain('"Budget"');
      expect(error.message).toContain(`text of ${transcript.length} characters`);
      expect(error.message).not.toContain('kitchen');
    },
  );

  it('quotes a refused number or boolean, which says what went wrong and nothing about the caller', () => {
    expect(refusal('rating', 4.5).message).toContain('takes a whole number, not 4.5');
    expect(refusal('numbers', true).message).toContain('takes a number, not true');
  });

  it('takes a phone number however it is typed, but not a sentence that contains one', () => {
    const phone = { id: 'phone_1', title: 'Phone', type: 'phone' };
    expect(columnValue(phone, '(512) 555-0143')).toEqual({ phone: '+15125550143', countryShortName: 'US' });
    expect(columnValue(phone, '+44 20 7946 0958')).toEqual({
      phone: '+442079460958',
      countryShortName: 'GB',
    });
    expect(() => columnValue(phone, 'call me back at 512-555-0143 after five')).toThrow(
      /takes a phone number/,
    );
  });
});
