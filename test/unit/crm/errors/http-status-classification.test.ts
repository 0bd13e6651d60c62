import { describe, expect, it } from 'vitest';
import { classifyResponse } from '../../../../src/crm/custom/error-classification.js';
import {
  type CrmErrorRules,
  classifyFailedAnswer,
  classifyTokenRefusal,
  type FailedAnswer,
  vendorCodeRules,
} from '../../../../src/crm/errors/http-status-classification.js';
import { classifyHubSpotError } from '../../../../src/crm/hubspot/error-classification.js';
import { classifyMondayFailure } from '../../../../src/crm/monday/error-classification.js';
import { classifyPipedriveError } from '../../../../src/crm/pipedrive/error-classification.js';
import { classifyFault, faultFromBody } from '../../../../src/crm/salesforce/error-classification.js';
import {
  classifyZohoEntry,
  classifyZohoStatus,
  classifyZohoTokenRefusal,
} from '../../../../src/crm/zoho/error-classification.js';
import type { LeadstreamError } from '../../../../src/errors/leadstream-error.js';
import { retryAfterMs } from '../../../../src/http/retry-after.js';
import { fixedClock } from '../../../../src/time/clock.js';

const NOW = new Date('2026-03-02T22:00:00Z');
const clock = fixedClock(NOW);

describe('the shared HTTP status rule', () => {
  it.each([
    [400, 'crm_rejected', false, 'crm_auth_error'],
    [401, 'crm_auth_error', false, 'crm_auth_error'],
    [403, 'crm_auth_error', false, 'crm_auth_error'],
    [404, 'crm_not_found', false, 'crm_auth_error'],
    [408, 'crm_unavailable', true, 'crm_unavailable'],
    [409, 'crm_rejected', false, 'crm_auth_error'],
    [410, 'crm_not_found', false, 'crm_auth_error'],
    [422, 'crm_rejected', false, 'crm_auth_error'],
    [423, 'crm_unavailable', true, 'crm_unavailable'],
    [429, 'crm_rate_limited', true, 'crm_rate_limited'],
    [500, 'crm_unavailable', true, 'crm_unavailable'],
    [501, 'crm_rejected', false, 'crm_auth_error'],
    [502, 'crm_unavailable', true, 'crm_unavailable'],
    [503, 'crm_unavailable', true, 'crm_unavailable'],
    [504, 'crm_unavailable', true, 'crm_unavailable'],
    [301, 'crm_rejected', false, 'crm_auth_error'],
    [200, 'crm_rejected', false, 'crm_auth_error'],
    [undefined, 'crm_rejected', false, 'crm_auth_error'],
  ] as const)(
    '%s is %s (retryable: %s), and at a token endpoint %s',
    (status, type, retryable, atTokenEndpoint) => {
      expect(classifyFailedAnswer({ status })).toMatchObject({ type, retryable });
      // What the rule calls permanent at an OAuth token endpoint is the credentials.
      expect(classifyTokenRefusal({ status })).toMatchObject({ type: atTokenEndpoint, retryable });
    },
  );

  it.each([
    ['delta seconds', '120', 120_000],
    ['fractional seconds', '0.5', 500],
    ['an IMF-fixdate', 'Mon, 02 Mar 2026 22:01:30 GMT', 90_000],
    ['an RFC 850 date', 'Monday, 02-Mar-26 22:00:10 GMT', 10_000],
    ['an asctime date', 'Mon Mar  2 22:00:05 2026', 5_000],
    ['a date already past', 'Mon, 02 Mar 2026 21:00:00 GMT', 0],
  ])('waits as Retry-After asks in %s', (_form, header, wait) => {
    for (const status of [429, 503]) {
      expect(classifyFailedAnswer({ status, retryAfterMs: retryAfterMs(header, NOW) }).retryAfterMs).toBe(
        wait,
      );
    }
  });

  it('leaves the wait to the back-off when Retry-After is unreadable, and never sets one on a permanent failure', () => {
    expect(
      classifyFailedAnswer({ status: 429, retryAfterMs: retryAfterMs('soon', NOW) }).retryAfterMs,
    ).toBeUndefined();
    expect(classifyFailedAnswer({ status: 400, retryAfterMs: 5_000 }).retryAfterMs).toBeUndefined();
  });

  it("applies a CRM's exceptions first, in order, and its rate-limit window only when the answer names no wait", () => {
    const rules: CrmErrorRules<FailedAnswer & { body: string }> = {
      exceptions: [
        { status: [403], when: (answer) => answer.body.includes('LIMIT'), type: 'crm_rate_limited' },
        { status: [400], codes: new Set(['GONE']), type: 'crm_not_found' },
      ],
      rateLimitWaitMs: () => 60_000,
    };
    const classify = (answer: FailedAnswer & { body: string }) => classifyFailedAnswer(answer, rules);
    expect(classify({ status: 403, body: 'REQUEST_LIMIT' })).toMatchObject({
      type: 'crm_rate_limited',
      retryAfterMs: 60_000,
    });
    expect(classify({ status: 403, body: 'no access' }).type).toBe('crm_auth_error');
    expect(classify({ status: 400, code: 'GONE', body: '' }).type).toBe('crm_not_found');
    expect(classify({ status: 422, code: 'GONE', body: '' }).type).toBe('crm_rejected');
    expect(classify({ status: 429, retryAfterMs: 2_000, body: '' }).retryAfterMs).toBe(2_000);
    expect(classify({ status: 503, body: '' }).retryAfterMs).toBeUndefined();
  });

  it('lets vendor codes decide whatever the status, and leaves an unknown code to the status', () => {
    const rules = vendorCodeRules(
      { crm_rate_limited: ['SLOW_DOWN'], crm_unavailable: ['LOCKED'], field_mapping_error: ['BAD_VALUE'] },
      (answer) => (answer.message === 'daily' ? 3_600_000 : 1_000),
    );
    expect(classifyFailedAnswer({ status: 200, code: 'LOCKED' }, rules).type).toBe('crm_unavailable');
    expect(classifyFailedAnswer({ status: 400, code: 'BAD_VALUE' }, rules).type).toBe('field_mapping_error');
    expect(
      classifyFailedAnswer({ status: undefined, code: 'SLOW_DOWN', message: 'daily' }, rules),
    ).toMatchObject({
      type: 'crm_rate_limited',
      retryAfterMs: 3_600_000,
    });
    expect(classifyFailedAnswer({ status: 502, code: 'OTHER' }, rules).type).toBe('crm_unavailable');
    expect(classifyFailedAnswer({ status: 200, code: 'OTHER' }, rules).type).toBe('crm_rejected');
  });
});

describe("Zoho's accounts server", () => {
  it("Zoho's accounts server: its throttle is a rate limit of a minute whatever the status, Retry-After first", () => {
    expect(classifyZohoTokenRefusal({ status: 400, code: 'Access Denied' })).toMatchObject({
      type: 'crm_rate_limited',
      retryAfterMs: 60_000,
    });
    expect(
      classifyZohoTokenRefusal({
        status: 400,
        message: 'You have made too many requests continuously',
        retryAfterMs: 5_000,
      }),
    ).toMatchObject({ type: 'crm_rate_limited', retryAfterMs: 5_000 });
    expect(classifyZohoTokenRefusal({ status: 200, code: 'invalid_code' }).type).toBe('crm_auth_error');
  });
});

/** Each CRM's classification of an answer with a bare status: no vendor code, a gateway's page for a body. */
const bareStatus: Record<string, (status: number) => LeadstreamError> = {
  custom: (status) =>
    classifyResponse({ status, headers: new Headers(), text: '' }, 'create_contact', (t) => t, NOW),
  hubspot: (status) =>
    classifyHubSpotError(
      Object.assign(new Error(`HTTP-Code: ${status}`), { code: status, body: '<html>', headers: {} }),
      'contacts.create',
      clock,
    ),
  pipedrive: (status) =>
    classifyPipedriveError(
      Object.assign(new Error(`status ${status}`), {
        isAxiosError: true,
        response: { status, headers: {}, data: '<html>' },
      }),
      'persons.add',
      clock,
    ),
  salesforce: (status) => classifyFault(faultFromBody(status, '<html>'), 'Lead.create'),
  zoho: (status) => classifyZohoStatus('Leads.upsert', status, '<html>', undefined),
  monday: (status) => classifyMondayFailure('create_item', status, '<html>', undefined),
};

describe('every CRM keeps the shared rule where it declares no exception', () => {
  const statuses = [400, 401, 403, 404, 408, 409, 410, 422, 423, 429, 500, 501, 502, 503, 504];
  it.each(Object.keys(bareStatus))('%s', (crm) => {
    const classify = bareStatus[crm];
    if (classify === undefined) throw new Error(`no ${crm}`);
    for (const status of statuses) {
      const { type, retryable } = classifyFailedAnswer({ status });
      expect([status, classify(status).type, classify(status).retryable]).toEqual([status, type, retryable]);
    }
  });
});

describe("the CRMs' declared exceptions", () => {
  it('Salesforce: a 403 REQUEST_LIMIT_EXCEEDED is a rate limit, other 403s are the credentials', () => {
    const limited = classifyFault(
      faultFromBody(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }]),
      'Lead.create',
    );
    const denied = classifyFault(
      faultFromBody(403, [{ errorCode: 'INSUFFICIENT_ACCESS', message: 'insufficient access rights' }]),
      'Lead.create',
    );
    expect(limited).toMatchObject({ type: 'crm_rate_limited', retryable: true, retryAfterMs: 300_000 });
    expect(denied).toMatchObject({ type: 'crm_auth_error', retryable: false });
  });

  it('HubSpot: a 400 naming a missing property is not_found, a 403 missing scopes is auth', () => {
    const missing = classifyHubSpotError(
      Object.assign(new Error('HTTP-Code: 400'), {
        code: 400,
        headers: {},
        body: {
          message: 'Property values were not valid',
          errors: [{ code: 'PROPERTY_DOESNT_EXIST', message: 'no', context: { propertyName: ['ai_score'] } }],
        },
      }),
      'contacts.create',
      clock,
    );
    const scopes = classifyHubSpotError(
      Object.assign(new Error('HTTP-Code: 403'), {
        code: 403,
        headers: {},
        body: { message: 'This app has not been granted all required scopes', category: 'MISSING_SCOPES' },
      }),
      'contacts.create',
      clock,
    );
    expect(missing).toMatchObject({ type: 'crm_not_found', retryable: false });
    expect(missing.details.properties).toBe('ai_score');
    expect(scopes).toMatchObject({ type: 'crm_auth_error', retryable: false });
  });

  it("Zoho: a record's code inside a 200 answer decides", () => {
    const entry = (code: string) =>
      classifyZohoEntry('Leads.upsert', 200, { code, message: '', status: 'error', details: {} }, undefined);
    expect(entry('INVALID_DATA').type).toBe('field_mapping_error');
    expect(entry('NO_PERMISSION').type).toBe('crm_auth_error');
    expect(entry('LOCKED_RECORD')).toMatchObject({ type: 'crm_unavailable', retryable: true });
    expect(entry('DUPLICATE_DATA')).toMatchObject({ type: 'crm_rejected', retryable: false });
  });

  it('Monday: a GraphQL error inside a 200 answer decides, and its retry hint beats Retry-After', () => {
    const error = classifyMondayFailure(
      'create_item',
      200,
      {
        errors: [
          { message: 'budget', extensions: { code: 'COMPLEXITY_BUDGET_EXHAUSTED', retry_in_seconds: 7 } },
        ],
      },
      30_000,
    );
    expect(error).toMatchObject({ type: 'crm_rate_limited', retryAfterMs: 7_000 });
  });

  it('Pipedrive: the daily budget waits until UTC midnight unless Retry-After says otherwise', () => {
    const daily = (headers: Record<string, string>) =>
      classifyPipedriveError(
        Object.assign(new Error('status 429'), {
          isAxiosError: true,
          response: { status: 429, headers, data: { success: false, error: 'Daily token budget exceeded' } },
        }),
        'persons.add',
        clock,
      ).retryAfterMs;
    expect(daily({})).toBe(2 * 60 * 60_000);
    expect(daily({ 'retry-after': '600' })).toBe(600_000);
  });
});
