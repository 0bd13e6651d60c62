import { describe, expect, it } from 'vitest';
import { createdStrings } from '../../../../src/crm/created-records.js';
import { SalesforceAdapter } from '../../../../src/crm/salesforce/salesforce-adapter.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { failureOf } from '../../../support/failure-of.js';
import { MemoryRecordLedger } from '../../../support/memory-record-ledger.js';
import {
  command,
  type Harness,
  leadOperation,
  rsaKeyPair,
  startHarness,
  TOP_REP,
  taskOperation,
  workflowOperation,
} from './adapter-harness.js';

const start = harnessPerTest(startHarness);

const JANE = {
  Phone: '+15551234567',
  FirstName: 'Jane',
  LastName: 'Doe',
  Company: '[not provided]',
  City: 'Los Angeles',
  LeadSource: 'Phone Inquiry',
  Call_Recording_URL__c: 'https://app.callrail.com/calls/CAL123/recording',
  AI_Project_Type__c: 'whole_home',
  AI_Timeline__c: 'immediate',
  AI_Lead_Score__c: 85,
};

const FOLLOW_UP = {
  Subject: 'Follow up on call',
  Priority: 'high',
  Status: 'Not Started',
  ActivityDate: '2026-03-03',
};

/** An existing lead, typed in by a salesperson: the org formats US numbers as (555) 123-4567. */
function existingLead(h: Harness, fields: Record<string, string>) {
  return h.emulator.org.create(
    'Lead',
    { LastName: 'Existing', Company: 'Acme', ...fields },
    {
      autoAssign: false,
      allowDuplicates: true,
      apiVersion: '62.0',
    },
  );
}

describe('SalesforceAdapter: leads and tasks', () => {
  it('creates the lead and its follow-up task for a new caller in one composite request', async () => {
    const h = await start();
    const result = await h.adapter.execute(
      command('c1', [leadOperation(JANE), taskOperation(FOLLOW_UP)]),
      h.context,
    );
    const [lead] = h.emulator.leads();
    const [task] = h.emulator.tasks();
    expect(result.outcomes).toEqual([
      { ref: 'lead', object_type: 'Lead', id: lead?.Id, action: 'created' },
      { ref: 'task', object_type: 'Task', id: task?.Id, action: 'created' },
    ]);
    expect(lead?.fields).toMatchObject({
      Phone: '+15551234567',
      LastName: 'Doe',
      City: 'Los Angeles',
      // The analysis value became the org's picklist value through the describe.
      AI_Project_Type__c: 'Whole Home',
      AI_Lead_Score__c: 85,
    });
    expect(task?.fields).toMatchObject({
      WhoId: lead?.Id,
      Subject: 'Follow up on call',
      Priority: 'High',
      CallObject: 'leadstream:key-c1',
    });
    expect(h.emulator.requestsTo('POST', '/services/data/v62.0/composite')).toHaveLength(2);
    expect(h.emulator.requestsTo('POST', '/services/data/v62.0/sobjects/Lead')).toHaveLength(0);
    expect(h.emulator.tokenRequests()).toBe(1);
  });

  it('updates the open lead of a returning caller found by phone, however the org spelled it', async () => {
    const h = await start();
    const existing = existingLead(h, { Phone: '(555) 123-4567', Email: 'jane@example.com' });
    const result = await h.adapter.execute(
      command('c2', [leadOperation({ ...JANE, City: 'Pasadena' })]),
      h.context,
    );
    expect(result.outcomes[0]).toMatchObject({ id: existing.Id, action: 'updated' });
    expect(h.emulator.leads()).toHaveLength(1);
    expect(h.emulator.leads()[0]?.fields).toMatchObject({ City: 'Pasadena', FirstName: 'Jane' });
    expect(h.emulator.requestsTo('PATCH', `/services/data/v62.0/sobjects/Lead/${existing.Id}`)).toHaveLength(
      1,
    );
  });

  it('finds a returning caller by email when the phone differs', async () => {
    const h = await start();
    const existing = existingLead(h, { Phone: '+15550000000', Email: 'jane@example.com' });
    await h.adapter.execute(
      command('c3', [leadOperation({ ...JANE, Email: 'Jane@Example.com' })]),
      h.context,
    );
    expect(h.emulator.leads().map((l) => l.Id)).toEqual([existing.Id]);
    expect(h.emulator.leads()[0]?.fields.Phone).toBe('+15551234567');
  });

  it('escapes quotes and backslashes of a matched value in SOQL', async () => {
    const h = await start();
    const existing = existingLead(h, { Email: "o'brien\\x@example.com" });
    await h.adapter.execute(
      command('c4', [leadOperation({ LastName: "O'Brien", Company: 'x', Email: "o'brien\\x@example.com" })]),
      h.context,
    );
    expect(h.emulator.leads().map((l) => l.Id)).toEqual([existing.Id]);
  });

  it('gives two quick calls from one number one lead and a task each', async () => {
    const h = await start();
    await h.adapter.execute(command('c5', [leadOperation(JANE), taskOperation(FOLLOW_UP)]), h.context);
    const second = await h.adapter.execute(
      command('c6', [leadOperation({ ...JANE, AI_Lead_Score__c: 90 }), taskOperation(FOLLOW_UP)]),
      h.context,
    );
    expect(second.outcomes.map((o) => o.action)).toEqual(['updated', 'created']);
    expect(h.emulator.leads()).toHaveLength(1);
    expect(h.emulator.leads()[0]?.fields.AI_Lead_Score__c).toBe(90);
    expect(h.emulator.tasks().map((t) => t.fields.WhoId)).toEqual([
      h.emulator.leads()[0]?.Id,
      h.emulator.leads()[0]?.Id,
    ]);
  });

  it('changes nothing twice when a command is redelivered, even to a restarted process without duplicate detection', async () => {
    const h = await start({ emulator: { duplicateRule: false } });
    const delivery = command('c7', [leadOperation(JANE), taskOperation(FOLLOW_UP)], null);
    const first = await h.adapter.execute(delivery, h.context);
    const again = await h.restartedAdapter().execute(delivery, h.context);
    expect(h.emulator.leads()).toHaveLength(1);
    expect(h.emulator.tasks()).toHaveLength(1);
    expect(again.outcomes).toEqual([
      { ...first.outcomes[0], action: 'updated' },
      { ...first.outcomes[1], action: 'skipped' },
    ]);
  });

  it('creates no second lead for a command without a task redelivered to another process sharing only the ledger', async () => {
    const ledger = new MemoryRecordLedger();
    const process = () =>
      new SalesforceAdapter({
        createdRecords: createdStrings(ledger),
      });
    const h = await start({ emulator: { duplicateRule: false } });
    // No duplicate rule, and no task whose marker would lead back to the lead: only the ledger knows it.
    const delivery = command('c7b', [leadOperation(JANE)], null);
    const first = await process().execute(delivery, h.context);
    expect(ledger.pendingWrites(delivery.tenant_id, delivery.idempotency_key)).toBe(1);
    // The first process died before committing; another process gets the command again.
    const again = await process().execute(delivery, h.context);
    expect(h.emulator.leads()).toHaveLength(1);
    expect(again.outcomes).toEqual([{ ...first.outcomes[0], action: 'updated' }]);
  });

  it('updates the record an org duplicate rule names when DUPLICATES_DETECTED blocks the create', async () => {
    const h = await start();
    const existing = existingLead(h, { Email: 'jane@example.com' });
    const result = await h.adapter.execute(
      command('c8', [leadOperation({ ...JANE, Email: 'jane@example.com' }), taskOperation(FOLLOW_UP)], null),
      h.context,
    );
    expect(result.outcomes.map((o) => [o.id, o.action])).toEqual([
      [existing.Id, 'updated'],
      [h.emulator.tasks()[0]?.Id, 'created'],
    ]);
    expect(h.emulator.leads()).toHaveLength(1);
    expect(h.emulator.tasks()[0]?.fields.WhoId).toBe(existing.Id);
  });

  it('leaves a matched lead alone when the duplicate action is skip, and still adds the task', async () => {
    const h = await start();
    const existing = existingLead(h, { Phone: '+15551234567' });
    const skip = { match_fields: ['phone'], match_strategy: 'exact', action: 'skip' };
    const result = await h.adapter.execute(
      command('c9', [leadOperation(JANE), taskOperation(FOLLOW_UP)], skip),
      h.context,
    );
    expect(result.outcomes.map((o) => o.action)).toEqual(['skipped', 'created']);
    expect(h.emulator.leads()[0]?.fields.LastName).toBe('Existing');
    expect(h.emulator.tasks()[0]?.fields.WhoId).toBe(existing.Id);
  });
});

describe('SalesforceAdapter: workflow actions', () => {
  it('runs the org assignment rule for assign_* and leaves other actions to the org', async () => {
    const h = await start();
    const result = await h.adapter.execute(
      command('w1', [
        leadOperation(JANE),
        workflowOperation('assign_to_top_rep'),
        workflowOperation('send_sms'),
      ]),
      h.context,
    );
    expect(h.emulator.leads()[0]?.fields.OwnerId).toBe(TOP_REP);
    expect(result.outcomes.slice(1).map((o) => [o.ref, o.action])).toEqual([
      ['workflow_assign_to_top_rep', 'updated'],
      ['workflow_send_sms', 'skipped'],
    ]);
    expect(
      h.emulator.requestsTo('POST', '/services/data/v62.0/sobjects/Lead')[0]?.sforceHeaders,
    ).toMatchObject({
      'sforce-auto-assign': 'TRUE',
    });
  });

  it('tells Salesforce not to run the assignment rule when no assign action fired', async () => {
    const h = await start();
    await h.adapter.execute(command('w2', [leadOperation(JANE)]), h.context);
    expect(h.emulator.leads()[0]?.fields.OwnerId).not.toBe(TOP_REP);
  });
});

describe('SalesforceAdapter: failures', () => {
  it('names the field an org without the custom fields lacks, permanently', async () => {
    const h = await start({ emulator: { guideFields: false } });
    const error = await failureOf(h.adapter.execute(command('f1', [leadOperation(JANE)]), h.context));
    expect(error.type).toBe('crm_not_found');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('Call_Recording_URL__c');
    expect(error.details).toMatchObject({ error_code: 'INVALID_FIELD', fields: 'Call_Recording_URL__c' });
    expect(h.emulator.leads()).toHaveLength(0);
  });

  it('reports a value of the wrong type with Salesforce message and field', async () => {
    const h = await start();
    const error = await failureOf(
      h.adapter.execute(command('f2', [leadOperation({ ...JANE, AI_Lead_Score__c: 'high' })]), h.context),
    );
    expect(error).toMatchObject({ type: 'field_mapping_error', retryable: false });
    expect(error.details).toMatchObject({
      error_code: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
      fields: 'AI_Lead_Score__c',
    });
    expect(error.message).toContain('AI Lead Score: value not of required type: high');
  });

  it('refuses a value outside a restricted picklist and a missing LastName as mapping errors', async () => {
    const h = await start();
    const picklist = await failureOf(
      h.adapter.execute(command('f3', [leadOperation({ ...JANE, AI_Project_Type__c: 'garage' })]), h.context),
    );
    expect(picklist.details).toMatchObject({
      error_code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      fields: 'AI_Project_Type__c',
    });
    const { LastName: _lastName, ...noLastName } = JANE;
    const required = await failureOf(
      h.adapter.execute(command('f4', [leadOperation(noLastName)]), h.context),
    );
    expect(required).toMatchObject({ type: 'field_mapping_error' });
    expect(required.details).toMatchObject({ error_code: 'REQUIRED_FIELD_MISSING', fields: 'LastName' });
  });

  it('rolls the lead back when its task is refused (all or none), so a retry starts clean', async () => {
    const h = await start();
    const error = await failureOf(
      h.adapter.execute(
        command('f5', [leadOperation(JANE), taskOperation({ ...FOLLOW_UP, Subject: 'x'.repeat(300) })]),
        h.context,
      ),
    );
    expect(error.details).toMatchObject({
      operation: 'Task.create',
      error_code: 'STRING_TOO_LONG',
      fields: 'Subject',
    });
    expect(h.emulator.leads()).toHaveLength(0);
  });

  it('signs a new assertion once when the token expired, then delivers', async () => {
    const h = await start();
    await h.adapter.execute(command('t1', [leadOperation(JANE)]), h.context);
    h.emulator.expireTokens();
    const result = await h.adapter.execute(
      command('t2', [leadOperation({ ...JANE, City: 'Pasadena' })]),
      h.context,
    );
    expect(result.outcomes[0]?.action).toBe('updated');
    expect(h.emulator.tokenRequests()).toBe(2);
  });

  it("waits as long as the token endpoint's Retry-After asks after a 429, then gets a token and delivers", async () => {
    const h = await start();
    h.emulator.failTokenNext(1, 429, '7');
    const error = await failureOf(h.adapter.execute(command('t4', [leadOperation(JANE)]), h.context));
    expect(error).toMatchObject({ type: 'crm_rate_limited', retryable: true, retryAfterMs: 7_000 });
    await h.adapter.execute(command('t4', [leadOperation(JANE)]), h.context);
    expect(h.emulator.leads()).toHaveLength(1);
    expect(h.emulator.tokenRequests()).toBe(2);
  });

  it('leaves the wait to the back-off when the token endpoint fails without Retry-After', async () => {
    const h = await start();
    h.emulator.failTokenNext(1, 503);
    const error = await failureOf(h.adapter.execute(command('t5', [leadOperation(JANE)]), h.context));
    expect(error).toMatchObject({ type: 'crm_unavailable', retryable: true });
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('refuses permanently, with the reason Salesforce gives, a key the connected app does not know', async () => {
    const h = await start({ privateKeyPem: rsaKeyPair().privateKeyPem });
    const error = await failureOf(h.adapter.execute(command('t3', [leadOperation(JANE)]), h.context));
    expect(error).toMatchObject({ type: 'crm_auth_error', retryable: false });
    expect(error.message).toContain('invalid_grant');
    expect(error.message).toContain('invalid assertion');
  });

  it('classifies REQUEST_LIMIT_EXCEEDED as retryable with a delay, and the retry succeeds', async () => {
    const h = await start();
    h.emulator.requestLimitNext(1);
    const error = await failureOf(h.adapter.execute(command('r1', [leadOperation(JANE)]), h.context));
    expect(error).toMatchObject({ type: 'crm_rate_limited', retryable: true });
    expect(error.retryAfterMs).toBeGreaterThan(0);
    await h.adapter.execute(command('r1', [leadOperation(JANE)]), h.context);
    expect(h.emulator.leads()).toHaveLength(1);
  });

  it('holds calls back once Sforce-Limit-Info says the org budget is spent', async () => {
    const h = await start();
    await h.adapter.execute(command('r2', [leadOperation(JANE)]), h.context);
    // One request left: the duplicate query spends it, and its answer says so.
    h.emulator.setApiUsage(h.emulator.apiUsage().max - 1);
    const spent = await failureOf(h.adapter.execute(command('r3', [leadOperation(JANE)]), h.context));
    expect(spent).toMatchObject({ type: 'crm_rate_limited', retryable: true });
    const before = h.emulator.requests.length;
    const held = await failureOf(h.adapter.execute(command('r4', [leadOperation(JANE)]), h.context));
    expect(held.retryAfterMs).toBeGreaterThan(0);
    expect(h.emulator.requests.length).toBe(before);
    expect(h.emulator.requestsTo('PATCH', /Lead/)).toHaveLength(0);
  });

  it.each([
    [503, 'SERVER_UNAVAILABLE'],
    [500, 'UNKNOWN_EXCEPTION'],
    [502, 'ERROR_HTTP_502'],
  ])('retries a %i (%s) and succeeds on the next attempt', async (status, code) => {
    const h = await start();
    h.emulator.failNext(1, status, { path: /\/query$/ });
    const error = await failureOf(h.adapter.execute(command('u1', [leadOperation(JANE)]), h.context));
    expect(error).toMatchObject({ type: 'crm_unavailable', retryable: true });
    expect(error.details.error_code).toBe(code);
    // jsforce's own retries are off: the stage runner decides when to try again.
    expect(h.emulator.requestsTo('GET', '/services/data/v62.0/query')).toHaveLength(1);
    await h.adapter.execute(command('u1', [leadOperation(JANE)]), h.context);
    expect(h.emulator.leads()).toHaveLength(1);
  });

  it('retries UNABLE_TO_LOCK_ROW', async () => {
    const h = await start();
    h.emulator.failNextWith(1, 400, {
      errorCode: 'UNABLE_TO_LOCK_ROW',
      message: 'unable to obtain exclusive access to this record',
    });
    const error = await failureOf(h.adapter.execute(command('u2', [leadOperation(JANE)]), h.context));
    expect(error).toMatchObject({ type: 'crm_unavailable', retryable: true });
  });

  it('answers an API version the org does not serve with a permanent error', async () => {
    const h = await start({ crmConfig: { api_version: '20.0' } });
    const error = await failureOf(h.adapter.execute(command('v1', [leadOperation(JANE)]), h.context));
    expect(error).toMatchObject({ type: 'crm_not_found', retryable: false });
  });

  it('reports an unreachable org as retryable', async () => {
    const h = await start();
    await h.emulator.stop();
    const error = await failureOf(h.adapter.execute(command('n1', [leadOperation(JANE)]), h.context));
    expect(error).toMatchObject({ type: 'crm_unavailable', retryable: true });
  });
});
