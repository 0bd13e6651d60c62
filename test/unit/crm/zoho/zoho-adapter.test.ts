import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCrmCommand } from '../../../../src/mapping/build-command.js';
import { fixedClock } from '../../../../src/time/clock.js';
import { configuredFor } from '../../../support/configured-context.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { failureOf } from '../../../support/failure-of.js';
import { guideEnrichedCall } from '../../../support/guide-fixtures.js';
import { command, leadOperation, startHarness } from './adapter-harness.js';

const start = harnessPerTest(startHarness);

afterEach(() => {
  vi.restoreAllMocks();
});

const JANE = {
  Last_Name: 'Doe',
  First_Name: 'Jane',
  Phone: '+15125550143',
  City: 'Los Angeles',
  Lead_Source: 'Phone Inquiry',
  AI_Lead_Score: 92,
  Call_Recording_URL: 'https://app.callrail.com/calls/CAL1/recording',
};

describe('ZohoAdapter: leads', () => {
  it('inserts a new caller’s lead with the duplicate check fields and trigger', async () => {
    const h = await start();
    const result = await h.adapter.execute(command('c1', [leadOperation(JANE)]), h.context);
    const [lead] = h.emulator.records();
    expect(result.outcomes).toEqual([{ ref: 'lead', object_type: 'Leads', id: lead?.id, action: 'created' }]);
    expect(lead?.fields).toMatchObject(JANE);
    expect(h.emulator.upsertRequests[0]).toMatchObject({
      path: '/crm/v8/Leads/upsert',
      body: { data: [JANE], duplicate_check_fields: ['Phone', 'Email'], trigger: ['workflow'] },
    });
  });

  it('updates the lead of a returning caller matched by phone', async () => {
    const h = await start();
    const existing = h.emulator.leads.insert({ Last_Name: 'Doe', Phone: '+15125550143', City: 'Austin' });
    const result = await h.adapter.execute(command('c2', [leadOperation(JANE)]), h.context);
    expect(result.outcomes[0]).toMatchObject({ id: existing.id, action: 'updated' });
    expect(h.emulator.records()).toHaveLength(1);
    expect(h.emulator.records()[0]?.fields.City).toBe('Los Angeles');
  });

  it('updates the lead of a returning caller matched by email when the phone is new', async () => {
    const h = await start();
    const existing = h.emulator.leads.insert({ Last_Name: 'Doe', Email: 'jane@example.com' });
    const result = await h.adapter.execute(
      command('c3', [leadOperation({ ...JANE, Phone: '+12125551234', Email: 'Jane@Example.com' })]),
      h.context,
    );
    expect(result.outcomes[0]).toMatchObject({ id: existing.id, action: 'updated' });
  });

  it('gives two calls from one number one lead, and a redelivered command without phone or email one lead', async () => {
    const h = await start();
    await h.adapter.execute(command('c4', [leadOperation(JANE)]), h.context);
    await h.adapter.execute(command('c5', [leadOperation({ ...JANE, City: 'Pasadena' })]), h.context);
    expect(h.emulator.records()).toHaveLength(1);
    const anonymous = command('c6', [leadOperation({ Last_Name: '[not provided]', City: 'Austin' })]);
    const first = await h.adapter.execute(anonymous, h.context);
    const again = await h.adapter.execute(anonymous, h.context);
    expect(h.emulator.records()).toHaveLength(2);
    expect(again.outcomes[0]).toMatchObject({ id: first.outcomes[0]?.id, action: 'updated' });
  });

  it('upserts anew when the record an earlier delivery created was deleted in Zoho', async () => {
    const h = await start();
    const once = command('c16', [leadOperation({ Last_Name: '[not provided]', City: 'Austin' })]);
    const first = await h.adapter.execute(once, h.context);
    h.emulator.leads.remove(String(first.outcomes[0]?.id));
    const again = await h.adapter.execute(once, h.context);
    expect(again.outcomes[0]?.action).toBe('created');
    expect(h.emulator.records()).toHaveLength(1);
  });

  it('delivers what the mapper builds from a tenant’s Zoho configuration', async () => {
    const h = await start();
    const tenant = h.tenant({
      field_mappings: {
        First_Name: 'customer_name_first',
        Last_Name: 'customer_name_last',
        Phone: 'customer_phone',
        AI_Lead_Score: 'ai_analysis.lead_score',
      },
    });
    const built = buildCrmCommand(guideEnrichedCall(), tenant, fixedClock('2026-11-25T17:20:00.000Z'));
    const result = await h.adapter.execute(built, configuredFor('zoho', { ...h.context, tenant }));
    expect(result.outcomes[0]?.action).toBe('created');
    expect(h.emulator.records()[0]?.fields).toMatchObject({ Phone: '+15125550143', AI_Lead_Score: 92 });
  });
});

describe('ZohoAdapter: tokens', () => {
  it('asks the accounts server once for many deliveries, and again shortly before the token expires', async () => {
    const h = await start();
    await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        h.adapter.execute(command(id, [leadOperation({ ...JANE, City: id })]), h.context),
      ),
    );
    expect(h.emulator.tokenRequests()).toBe(1);
    h.clock.advance(54 * 60_000);
    await h.adapter.execute(command('d', [leadOperation(JANE)]), h.context);
    expect(h.emulator.tokenRequests()).toBe(1);
    h.clock.advance(2 * 60_000);
    await h.adapter.execute(command('e', [leadOperation(JANE)]), h.context);
    expect(h.emulator.tokenRequests()).toBe(2);
  });

  it('exchanges the refresh token at the data centre’s accounts server, secrets in the body', async () => {
    const h = await start();
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('fetch failed'));
    for (const [centre, host] of [
      ['in', 'accounts.zoho.in'],
      ['com.au', 'accounts.zoho.com.au'],
      ['ca', 'accounts.zohocloud.ca'],
    ]) {
      const tenant = h.tenant({ data_centre: centre, accounts_url: undefined });
      const error = await failureOf(
        h.adapter.execute(
          command(`dc-${centre}`, [leadOperation(JANE)]),
          configuredFor('zoho', { ...h.context, tenant }),
        ),
      );
      expect(error).toMatchObject({ type: 'crm_unavailable', retryable: true });
      const [url, init] = fetchSpy.mock.calls.at(-1) ?? [];
      expect(String(url)).toBe(`https://${host}/oauth/v2/token`);
      expect(String(init?.body)).toContain('grant_type=refresh_token');
      expect(String(url)).not.toContain('refresh');
    }
  });

  it('refreshes once and retries when Zoho answers INVALID_TOKEN', async () => {
    const h = await start();
    await h.adapter.execute(command('c7', [leadOperation(JANE)]), h.context);
    h.emulator.expireTokens();
    const result = await h.adapter.execute(
      command('c8', [leadOperation({ ...JANE, City: 'Pasadena' })]),
      h.context,
    );
    expect(result.outcomes[0]?.action).toBe('updated');
    expect(h.emulator.tokenRequests()).toBe(2);
  });

  it('fails permanently, without retrying, on a refresh token Zoho does not know', async () => {
    const h = await start();
    const tenant = h.tenant({ refresh_token: '1000.revoked' });
    const error = await failureOf(
      h.adapter.execute(
        command('c9', [leadOperation(JANE)]),
        configuredFor('zoho', { ...h.context, tenant }),
      ),
    );
    expect(error).toMatchObject({ type: 'crm_auth_error', retryable: false });
    expect(error.message).toContain('invalid_code');
    expect(error.message).not.toContain('1000.revoked');
  });
});

describe('ZohoAdapter: record results and failures', () => {
  it('names the field of INVALID_DATA and keeps it permanent', async () => {
    const h = await start();
    const error = await failureOf(
      h.adapter.execute(command('c10', [leadOperation({ ...JANE, AI_Lead_Score: 'high' })]), h.context),
    );
    expect(error).toMatchObject({ type: 'field_mapping_error', retryable: false });
    expect(error.details.field).toBe('AI_Lead_Score');
    expect(error.message).toContain('expects integer');
  });

  it('names the field and the other record on DUPLICATE_DATA', async () => {
    const h = await start();
    const other = h.emulator.leads.insert({
      Last_Name: 'Roe',
      Email: 'jane@example.com',
      Phone: '+12125551234',
    });
    const error = await failureOf(
      h.adapter.execute(
        command('c11', [
          leadOperation({ ...JANE, Email: 'jane@example.com' }, { duplicate_check_fields: ['Phone'] }),
        ]),
        h.context,
      ),
    );
    expect(error).toMatchObject({ type: 'crm_rejected', retryable: false });
    expect(error.details).toMatchObject({ error_code: 'DUPLICATE_DATA', field: 'Email' });
    expect(error.message).toContain(other.id);
  });

  it('names the missing mandatory field', async () => {
    const h = await start();
    const error = await failureOf(
      h.adapter.execute(command('c12', [leadOperation({ Phone: '+15125550143' })]), h.context),
    );
    expect(error).toMatchObject({ type: 'field_mapping_error', retryable: false });
    expect(error.details).toMatchObject({ error_code: 'MANDATORY_NOT_FOUND', field: 'Last_Name' });
  });

  it('treats 500 and an HTML 502 as retryable', async () => {
    const h = await start();
    h.emulator.failNext(1, 500);
    h.emulator.failNext(1, 502);
    for (let i = 0; i < 2; i += 1) {
      expect(
        await failureOf(h.adapter.execute(command('c14', [leadOperation(JANE)]), h.context)),
      ).toMatchObject({
        type: 'crm_unavailable',
        retryable: true,
      });
    }
  });

  it('fails permanently on a module or API version Zoho does not serve', async () => {
    const h = await start({ crmConfig: { api_version: 'v1' } });
    const error = await failureOf(h.adapter.execute(command('c15', [leadOperation(JANE)]), h.context));
    expect(error).toMatchObject({ type: 'crm_not_found', retryable: false });
  });
});
