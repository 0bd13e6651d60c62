import { describe, expect, it } from 'vitest';
import { FieldCatalog } from '../../../../src/crm/pipedrive/field-catalog.js';
import { PipedriveAdapter } from '../../../../src/crm/pipedrive/pipedrive-adapter.js';
import { recentNumbers } from '../../../../src/crm/recent-matches.js';
import { DEFAULT_USER } from '../../../emulators/pipedrive/emulator.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { failureOf } from '../../../support/failure-of.js';
import { MemoryRecordLedger } from '../../../support/memory-record-ledger.js';
import { call, startHarness } from './adapter-harness.js';

const start = harnessPerTest(startHarness);

describe('PipedriveAdapter: persons', () => {
  it('creates a new caller with mapped fields, custom fields by key and the enum option id', async () => {
    const { emulator, adapter, context, commandFor } = await start();
    const result = await adapter.execute(commandFor(call('c1')), context);
    const [person] = emulator.persons();
    expect(emulator.persons()).toHaveLength(1);
    expect(person?.name).toBe('Jane Doe');
    expect(person?.phones).toEqual([{ value: '+15125550143', primary: true, label: 'mobile' }]);
    expect(person?.owner_id).toBe(DEFAULT_USER.id);
    expect(person?.postal_address).toMatchObject({ locality: 'Los Angeles', admin_area_level_1: 'CA' });
    expect(person?.custom_fields).toEqual({
      [emulator.fieldKey('person', 'Call Recording URL')]: 'https://app.callrail.com/calls/CAL1/recording',
      [emulator.fieldKey('person', 'Call Transcript')]:
        'Agent: Thanks for calling. Caller: We want a new kitchen, as soon as possible.',
      [emulator.fieldKey('person', 'AI Project Type')]: emulator.optionId(
        'person',
        'AI Project Type',
        'Kitchen',
      ),
      [emulator.fieldKey('person', 'AI Lead Score')]: 92,
    });
    expect(result.outcomes.map((o) => [o.ref, o.object_type, o.action])).toEqual([
      ['person', 'persons', 'created'],
      ['deal', 'deals', 'created'],
      ['workflow_create_task', 'activities', 'created'],
      ['call', 'callLogs', 'created'],
    ]);
  });

  it('creates the deal in the configured pipeline and stage, linked to the person, and a task on both', async () => {
    const { emulator, adapter, context, commandFor } = await start();
    await adapter.execute(commandFor(call('c1')), context);
    const [person] = emulator.persons();
    const [deal] = emulator.deals();
    expect(deal).toMatchObject({
      title: 'Jane Doe - kitchen Project',
      value: 25000,
      currency: 'USD',
      pipeline_id: 1,
      stage_id: 2,
      owner_id: DEFAULT_USER.id,
      person_id: person?.id,
    });
    expect(emulator.activities().filter((a) => a.type === 'task')).toEqual([
      expect.objectContaining({
        type: 'task',
        subject: 'Follow up with Jane Doe',
        person_id: person?.id,
        deal_id: deal?.id,
        due_date: '2026-11-25',
        owner_id: DEFAULT_USER.id,
      }),
    ]);
  });

  it('updates the returning caller found by phone in another spelling, keeping its name and numbers', async () => {
    const { emulator, adapter, context, commandFor } = await start();
    const existing = emulator.company.createPerson({
      name: 'Jane (kitchen)',
      phones: [{ value: '(512) 555-0143', primary: true, label: 'work' }],
    });
    const result = await adapter.execute(commandFor(call('c2')), context);
    expect(emulator.persons()).toHaveLength(1);
    expect(result.outcomes[0]).toMatchObject({ id: String(existing.id), action: 'updated' });
    const person = emulator.persons()[0];
    expect(person?.name).toBe('Jane (kitchen)');
    expect(person?.phones).toEqual([{ value: '(512) 555-0143', primary: true, label: 'work' }]);
    expect(person?.custom_fields[emulator.fieldKey('person', 'AI Lead Score')]).toBe(92);
    expect(emulator.deals()[0]?.person_id).toBe(existing.id);
    expect(emulator.requestsTo('GET', '/api/v2/persons/search').map((r) => r.query)).toEqual([
      { term: '+15125550143', fields: 'phone', exact_match: 'true', limit: '100' },
      { term: '5125550143', fields: 'phone', exact_match: 'false', limit: '100' },
    ]);
  });

  it('finds the returning caller by email when the number is new, and adds the number to the person', async () => {
    const { emulator, adapter, context, commandFor } = await start();
    const existing = emulator.company.createPerson({
      name: 'Jane Doe',
      phones: [{ value: '+13105550199', primary: true, label: 'home' }],
      emails: [{ value: 'jane@example.com', primary: true, label: 'work' }],
    });
    const result = await adapter.execute(
      commandFor(call('c3', (c) => (c.call.customer_email = 'Jane@Example.com'))),
      context,
    );
    expect(emulator.persons()).toHaveLength(1);
    expect(result.outcomes[0]).toMatchObject({ id: String(existing.id), action: 'updated' });
    expect(emulator.persons()[0]?.phones.map((p) => [p.value, p.primary])).toEqual([
      ['+13105550199', true],
      ['+15125550143', false],
    ]);
    expect(emulator.persons()[0]?.emails).toHaveLength(1);
  });

  it('matches nobody when duplicate_detection is absent or disabled, as for every CRM', async () => {
    for (const duplicate_detection of [undefined, { enabled: false, match_fields: ['phone', 'email'] }]) {
      const { emulator, adapter, context, commandFor } = await start({ crmConfig: { duplicate_detection } });
      emulator.company.createPerson({ name: 'Jane Doe', phones: [{ value: '+15125550143', primary: true }] });
      const result = await adapter.execute(commandFor(call('c6')), context);
      expect(emulator.persons()).toHaveLength(2);
      expect(result.outcomes[0]?.action).toBe('created');
      expect(emulator.requestsTo('GET', '/api/v2/persons/search')).toEqual([]);
    }
  });

  it('gives two calls from one number in quick succession one person, though search lags writes', async () => {
    const { emulator, adapter, context, commandFor } = await start({ emulator: { searchLagMs: 60_000 } });
    await adapter.execute(commandFor(call('c4a')), context);
    await Promise.all([
      adapter.execute(commandFor(call('c4b')), context),
      adapter.execute(commandFor(call('c4c')), context),
    ]);
    expect(emulator.persons()).toHaveLength(1);
    expect(emulator.deals()).toHaveLength(3);
    expect(new Set(emulator.deals().map((d) => d.person_id))).toEqual(new Set([emulator.persons()[0]?.id]));
  });

  it("gives the caller's next call one person when it reaches another delivery process before search catches up", async () => {
    const { emulator, context, commandFor } = await start({ emulator: { searchLagMs: 60_000 } });
    // Two delivery processes, as before and after a rebalance, sharing the delivery ledger.
    const ledger = new MemoryRecordLedger();
    const processOn = () => new PipedriveAdapter({ recentPersons: recentNumbers(ledger) });
    await processOn().execute(commandFor(call('c4d')), context);
    await processOn().execute(commandFor(call('c4e')), context);
    expect(emulator.persons()).toHaveLength(1);
    expect(new Set(emulator.deals().map((d) => d.person_id))).toEqual(new Set([emulator.persons()[0]?.id]));
  });

  it('finds the person an earlier process created by exact phone search, with one search', async () => {
    const { emulator, adapter, context, commandFor, restartedAdapter } = await start();
    await adapter.execute(commandFor(call('c5a')), context);
    const searchesBefore = emulator.requestsTo('GET', '/api/v2/persons/search').length;
    const result = await restartedAdapter().execute(commandFor(call('c5b')), context);
    expect(emulator.persons()).toHaveLength(1);
    expect(result.outcomes[0]?.action).toBe('updated');
    expect(emulator.requestsTo('GET', '/api/v2/persons/search').length - searchesBefore).toBe(1);
  });

  it('still creates the follow-up task of a command mapped before the mapper decided it (an empty payload)', async () => {
    const { emulator, adapter, context, commandFor } = await start();
    const command = commandFor(call('c7'));
    const older = {
      ...command,
      operations: command.operations.map((op) =>
        op.action === 'create_task' ? { ...op, payload_json: '{}' } : op,
      ),
    };
    await adapter.execute(older, context);
    expect(emulator.activities().filter((a) => a.type === 'task')).toEqual([
      expect.objectContaining({ type: 'task', subject: 'Follow up', due_date: '2026-11-25' }),
    ]);
  });

  it('does not create the deal or task twice when the same command is delivered again', async () => {
    const { emulator, adapter, context, commandFor } = await start();
    const command = commandFor(call('c5'));
    await adapter.execute(command, context);
    const again = await adapter.execute(command, context);
    expect(emulator.persons()).toHaveLength(1);
    expect(emulator.deals()).toHaveLength(1);
    // The task, and the call log's own activity.
    expect(emulator.activities().map((a) => a.type)).toEqual(['task', 'call']);
    expect(emulator.callLogs()).toHaveLength(1);
    expect(again.outcomes.map((o) => o.action)).toEqual(['updated', 'skipped', 'skipped', 'skipped']);
  });
});

describe('PipedriveAdapter: custom fields', () => {
  it('fails permanently, naming the field, when a configured custom field is missing in the account', async () => {
    const { emulator, adapter, context, commandFor } = await start({
      emulator: {
        customFields: {
          person: [
            { name: 'Call Recording URL', type: 'varchar' },
            { name: 'Call Transcript', type: 'text' },
            { name: 'AI Project Type', type: 'enum', options: ['Kitchen'] },
          ],
          deal: [],
        },
      },
    });
    const error = await failureOf(adapter.execute(commandFor(call('c6')), context));
    expect(error.type).toBe('field_mapping_error');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('custom field ai_lead_score does not exist in Pipedrive person fields');
    expect(emulator.persons()).toHaveLength(0);
  });

  it('reads the fields again on a miss, so a field created since is found', async () => {
    let now = 1_000_000;
    const fieldCatalog = new FieldCatalog(() => now);
    const { emulator, adapter, context, commandFor } = await start({
      adapter: { fieldCatalog },
      emulator: { customFields: { person: [{ name: 'Call Recording URL', type: 'varchar' }], deal: [] } },
      crmConfig: { custom_fields: { call_recording_url: 'recording_url' } },
    });
    await adapter.execute(commandFor(call('c7a')), context);
    emulator.company.fields.add('person', { name: 'AI Lead Score', type: 'double' });
    const withScore = {
      custom_fields: { call_recording_url: 'recording_url', ai_lead_score: 'ai_analysis.lead_score' },
    };
    now += 61_000;
    await adapter.execute(commandFor(call('c7b'), withScore), context);
    expect(emulator.persons()[0]?.custom_fields[emulator.fieldKey('person', 'AI Lead Score')]).toBe(92);
    expect(emulator.requestsTo('GET', '/api/v2/personFields')).toHaveLength(2);
  });

  it('re-reads the fields when Pipedrive refuses a cached key, then names the field that is gone', async () => {
    const { emulator, adapter, context, commandFor } = await start();
    await adapter.execute(commandFor(call('c8a')), context);
    emulator.company.fields.remove('person', 'AI Lead Score');
    const error = await failureOf(adapter.execute(commandFor(call('c8b')), context));
    expect(error.type).toBe('field_mapping_error');
    expect(error.message).toContain('ai_lead_score');
    expect(emulator.requestsTo('PATCH', /^\/api\/v2\/persons\/\d+$/).map((r) => r.status)).toEqual([400]);
    expect(emulator.requestsTo('GET', '/api/v2/personFields')).toHaveLength(2);
  });

  it('fails permanently on a value of the wrong type, before sending it', async () => {
    const { emulator, adapter, context, commandFor } = await start({
      crmConfig: { custom_fields: { ai_lead_score: 'ai_analysis.project_type' } },
    });
    const error = await failureOf(adapter.execute(commandFor(call('c9')), context));
    expect(error.type).toBe('field_mapping_error');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('Invalid value for field ai_lead_score: expected number, got string');
    expect(emulator.requestsTo('POST', '/api/v2/persons')).toHaveLength(0);
  });

  it('re-reads a field whose type changed in Pipedrive after Pipedrive refused the value', async () => {
    const { emulator, adapter, context, commandFor } = await start();
    await adapter.execute(commandFor(call('c9a')), context);
    const transcript = emulator.company.fields.byName('person', 'Call Transcript');
    if (transcript) transcript.type = 'double';
    const error = await failureOf(adapter.execute(commandFor(call('c9b')), context));
    expect(emulator.requestsTo('PATCH', /^\/api\/v2\/persons\/\d+$/)[0]?.status).toBe(400);
    expect(error.type).toBe('field_mapping_error');
    expect(error.message).toBe('Invalid value for field call_transcript: expected number, got string');
  });

  it('fails permanently on an enumeration value that is no option, listing the options', async () => {
    const { adapter, context, commandFor } = await start();
    const error = await failureOf(
      adapter.execute(commandFor(call('c10', (c) => (c.ai_analysis.project_type = 'garage'))), context),
    );
    expect(error.type).toBe('field_mapping_error');
    expect(error.message).toContain('"garage" is not one of its options (Kitchen, Bathroom, Whole Home');
  });
});

describe('PipedriveAdapter: failures', () => {
  it('classifies a refused token as crm_auth_error, not retryable', async () => {
    const { adapter, context, commandFor } = await start({ token: 'revoked-token' });
    const error = await failureOf(adapter.execute(commandFor(call('c11')), context));
    expect(error.type).toBe('crm_auth_error');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('unauthorized access');
  });

  it('retries a 429 after the burst window and then delivers once', async () => {
    const { emulator, adapter, context, commandFor } = await start();
    emulator.rateLimitNext(1);
    const command = commandFor(call('c12'));
    const error = await failureOf(adapter.execute(command, context));
    expect(error.type).toBe('crm_rate_limited');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(2000);
    expect(error.details.limit).toBe('burst');
    await adapter.execute(command, context);
    expect(emulator.persons()).toHaveLength(1);
    expect(emulator.deals()).toHaveLength(1);
  });

  it('after a 429 on the deal, the retry keeps the person it created and creates one deal', async () => {
    const { emulator, adapter, context, commandFor } = await start();
    emulator.rateLimitNext(1, 'burst', { method: 'POST', path: /^\/api\/v2\/deals$/ });
    const command = commandFor(call('c12b'));
    expect((await failureOf(adapter.execute(command, context))).type).toBe('crm_rate_limited');
    const retried = await adapter.execute(command, context);
    expect(emulator.persons()).toHaveLength(1);
    expect(emulator.deals()).toHaveLength(1);
    expect(retried.outcomes.map((o) => o.action)).toEqual(['updated', 'created', 'created', 'created']);
  });

  it('waits until the daily budget resets when the 429 is for the day', async () => {
    const { emulator, adapter, context, commandFor } = await start();
    emulator.rateLimitNext(1, 'daily');
    const error = await failureOf(adapter.execute(commandFor(call('c13')), context));
    expect(error.type).toBe('crm_rate_limited');
    expect(error.details.limit).toBe('daily_budget');
    expect(error.retryAfterMs).toBeGreaterThan(60_000);
  });

  it('classifies a 5xx as retryable', async () => {
    const { emulator, adapter, context, commandFor } = await start();
    emulator.failNext(1, 502);
    const error = await failureOf(adapter.execute(commandFor(call('c14')), context));
    expect(error.type).toBe('crm_unavailable');
    expect(error.retryable).toBe(true);
  });

  it("fails permanently on a 400, with Pipedrive's message", async () => {
    const { emulator, adapter, context, commandFor } = await start({ crmConfig: { stage_id: 3 } });
    const error = await failureOf(adapter.execute(commandFor(call('c15')), context));
    expect(error.type).toBe('crm_rejected');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('stage_id: Stage 3 does not belong to pipeline 1');
    expect(emulator.deals()).toHaveLength(0);
  });

  it('keeps within the burst window under steady load, so Pipedrive never answers 429', async () => {
    const { emulator, adapter, context, commandFor } = await start({
      emulator: { burstLimit: 6 },
      crmConfig: { requests_per_two_seconds: 6 },
    });
    for (const id of ['s1', 's2', 's3']) {
      await adapter.execute(
        commandFor(call(id, (c) => (c.call.customer_phone = `512555010${id.slice(1)}`))),
        context,
      );
    }
    expect(emulator.requests.length).toBeGreaterThan(6);
    expect(emulator.requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(emulator.deals()).toHaveLength(3);
  }, 20_000);
});
