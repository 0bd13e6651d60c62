import { describe, expect, it } from 'vitest';
import { classifyMondayFailure } from '../../../../src/crm/monday/error-classification.js';

describe('Monday error classification', () => {
  it('reads the legacy ComplexityException shape and its "reset in N seconds"', () => {
    const error = classifyMondayFailure(
      'create_item',
      200,
      {
        error_code: 'ComplexityException',
        status_code: 429,
        error_message:
          'Complexity budget exhausted, query cost 30001 budget remaining 19986 out of 1000000 reset in 3 seconds',
        error_data: {},
      },
      undefined,
    );
    expect(error).toMatchObject({ type: 'crm_rate_limited', retryable: true, retryAfterMs: 3_000 });
  });

  it('waits an hour on the daily limit when Monday gives no hint', () => {
    const error = classifyMondayFailure(
      'create_item',
      429,
      { errors: [{ message: 'Daily limit exceeded', extensions: { code: 'DAILY_LIMIT_EXCEEDED' } }] },
      undefined,
    );
    expect(error).toMatchObject({ type: 'crm_rate_limited', retryAfterMs: 3_600_000 });
  });

  it('keeps column errors permanent and quotes Monday’s message', () => {
    const error = classifyMondayFailure(
      'create_item',
      200,
      {
        errors: [
          {
            message: 'invalid value - label does not exist in column',
            extensions: {
              code: 'ColumnValueException',
              status_code: 200,
              error_data: { column_id: 'status' },
            },
          },
        ],
      },
      undefined,
    );
    expect(error).toMatchObject({ type: 'field_mapping_error', retryable: false });
    expect(error.message).toContain('label does not exist');
    expect(error.details.column_id).toBe('status');
  });

  it('treats gateway failures as retryable and a forbidden board as an authorisation problem', () => {
    expect(classifyMondayFailure('boards.columns', 503, '<html>', undefined).retryable).toBe(true);
    const forbidden = classifyMondayFailure(
      'create_item',
      200,
      {
        errors: [
          {
            message: 'User unauthorized to perform action',
            extensions: { code: 'UserUnauthorizedException', status_code: 403 },
          },
        ],
      },
      undefined,
    );
    expect(forbidden).toMatchObject({ type: 'crm_auth_error', retryable: false });
  });
});
