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
});
