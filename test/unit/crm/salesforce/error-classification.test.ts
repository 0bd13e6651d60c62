import { describe, expect, it } from 'vitest';
import {
  classifyFault,
  classifySalesforceError,
  duplicateIdOf,
  faultFromBody,
} from '../../../../src/crm/salesforce/error-classification.js';
import { LeadstreamError } from '../../../../src/errors/leadstream-error.js';

/** What jsforce throws for an error answer: HttpApiError(message, errorCode, data). */
function apiError(errorCode: string, message: string, data: unknown): Error {
  return Object.assign(new Error(message), { name: errorCode, errorCode, data });
}

describe('Salesforce error classification', () => {
  it.each([
    ['REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', 'crm_rate_limited', true],
    ['UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record', 'crm_unavailable', true],
    ['SERVER_UNAVAILABLE', 'down for maintenance', 'crm_unavailable', true],
    ['INVALID_SESSION_ID', 'Session expired or invalid', 'crm_auth_error', false],
    ['INVALID_FIELD', "No such column 'Foo__c' on sobject of type Lead", 'crm_not_found', false],
    ['STRING_TOO_LONG', 'Subject: data value too large', 'field_mapping_error', false],
    ['REQUIRED_FIELD_MISSING', 'Required fields are missing: [LastName]', 'field_mapping_error', false],
    ['CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', 'crm_rejected', false],
  ])('%s is %s', (code, message, type, retryable) => {
    const error = classifySalesforceError(
      apiError(code, message, { errorCode: code, message, fields: [] }),
      'Lead.create',
    );
    expect(error).toMatchObject({ type, retryable });
    expect(error.message).toContain(message);
    expect(error.details).toMatchObject({ operation: 'Lead.create', error_code: code });
  });

  it('names the missing field of INVALID_FIELD from its message', () => {
    const error = classifySalesforceError(
      apiError('INVALID_FIELD', "No such column 'AI_Score__c' on sobject of type Lead", {
        errorCode: 'INVALID_FIELD',
        message: "No such column 'AI_Score__c' on sobject of type Lead",
      }),
      'Lead.create',
    );
    expect(error.details.fields).toBe('AI_Score__c');
  });

  it('quotes every entry of a multi-error answer with its fields', () => {
    const entries = [
      { errorCode: 'STRING_TOO_LONG', message: 'City: data value too large', fields: ['City'] },
      { errorCode: 'INVALID_EMAIL_ADDRESS', message: 'Email: invalid email address: x', fields: ['Email'] },
    ];
    const error = classifySalesforceError(
      apiError('MULTIPLE_API_ERRORS', 'Multiple errors returned.', entries),
      'Lead.update',
    );
    expect(error.type).toBe('field_mapping_error');
    expect(error.details.fields).toBe('City,Email');
    expect(error.message).toContain('INVALID_EMAIL_ADDRESS: Email: invalid email address: x [Email]');
  });

  it('treats a non-JSON 5xx (a proxy page) as unavailable', () => {
    const error = classifySalesforceError(
      apiError('ERROR_HTTP_502', 'HTTP response contains html content.', '<html/>'),
      'Lead.query',
    );
    expect(error).toMatchObject({ type: 'crm_unavailable', retryable: true });
    expect(error.details.status).toBe(502);
  });

  it('reads the matched id of DUPLICATES_DETECTED under either spelling', () => {
    for (const key of ['duplicateResut', 'duplicateResult']) {
      const body = [
        {
          errorCode: 'DUPLICATES_DETECTED',
          message: 'Use one of these records?',
          [key]: { matchResults: [{ matchRecords: [{ record: { Id: '00Q5g000000AbCdEAA' } }] }] },
        },
      ];
      expect(duplicateIdOf(classifyFault(faultFromBody(400, body), 'Lead.create'))).toBe(
        '00Q5g000000AbCdEAA',
      );
    }
  });

  it('makes a network failure and a timeout retryable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), {
      name: 'FetchError',
      code: 'ECONNREFUSED',
    });
    expect(classifySalesforceError(refused, 'Lead.query')).toMatchObject({
      type: 'crm_unavailable',
      retryable: true,
    });
    const aborted = Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
    expect(classifySalesforceError(aborted, 'Lead.query').message).toContain('did not answer');
  });

  it('keeps an already classified error and calls anything else a bug', () => {
    const classified = new LeadstreamError('crm_rejected', 'x');
    expect(classifySalesforceError(classified, 'op')).toBe(classified);
    expect(classifySalesforceError(new TypeError('boom'), 'op').type).toBe('internal_error');
  });
});
