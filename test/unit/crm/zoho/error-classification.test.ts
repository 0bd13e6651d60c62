import { describe, expect, it } from 'vitest';
import { classifyZohoEntry, classifyZohoStatus } from '../../../../src/crm/zoho/error-classification.js';

describe('Zoho error classification', () => {
  it('makes INVALID_DATA a permanent mapping error naming the field and the expected type', () => {
    const error = classifyZohoEntry(
      'Leads.upsert',
      400,
      {
        code: 'INVALID_DATA',
        message: 'invalid data',
        status: 'error',
        details: { api_name: 'AI_Lead_Score', expected_data_type: 'integer' },
      },
      undefined,
    );
    expect(error).toMatchObject({ type: 'field_mapping_error', retryable: false });
    expect(error.message).toContain('[AI_Lead_Score] (expects integer');
  });

  it('retries the concurrency limit within seconds and an exhausted credit budget much later', () => {
    const concurrency = classifyZohoStatus(
      'Leads.upsert',
      429,
      { code: 'TOO_MANY_REQUESTS', message: 'too many', status: 'error', details: {} },
      undefined,
    );
    const credits = classifyZohoStatus(
      'Leads.upsert',
      429,
      { code: 'LIMIT_REACHED', message: 'API credits exhausted', status: 'error', details: {} },
      undefined,
    );
    expect(concurrency).toMatchObject({ retryable: true, retryAfterMs: 10_000 });
    expect(credits).toMatchObject({ retryable: true, retryAfterMs: 1_800_000 });
  });

  it('treats OAUTH_SCOPE_MISMATCH as an authorisation problem and a gateway page as retryable', () => {
    expect(
      classifyZohoStatus(
        'Leads.upsert',
        401,
        { code: 'OAUTH_SCOPE_MISMATCH', message: 'invalid oauth scope', status: 'error', details: {} },
        undefined,
      ),
    ).toMatchObject({ type: 'crm_auth_error', retryable: false });
    expect(classifyZohoStatus('Leads.upsert', 502, '<html>', undefined)).toMatchObject({
      type: 'crm_unavailable',
      retryable: true,
    });
  });
});
