import { Configuration, PersonFieldsApi, PersonsApi } from 'pipedrive/v2';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN, DEFAULT_USER, type PipedriveEmulator, startPipedriveEmulator } from './emulator.js';

let emulator: PipedriveEmulator | undefined;

async function start(options: Parameters<typeof startPipedriveEmulator>[0] = {}): Promise<PipedriveEmulator> {
  emulator = await startPipedriveEmulator(options);
  return emulator;
}

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

function sdk(url: string, token = DEFAULT_TOKEN) {
  const configuration = new Configuration({ apiKey: token, basePath: `${url}/api/v2` });
  return { persons: new PersonsApi(configuration), personFields: new PersonFieldsApi(configuration) };
}

async function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = DEFAULT_TOKEN,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { 'x-api-token': token }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text.startsWith('{') ? JSON.parse(text) : {},
  };
}

describe('Pipedrive emulator: what the SDK does', () => {
  it('creates a person through the v2 SDK and finds it by exact phone and by email', async () => {
    const { url } = await start();
    const { persons } = sdk(url);
    const created = await persons.addPerson({
      AddPersonRequest: {
        name: 'Jane Doe',
        phones: [{ value: '+1 (555) 123-4567', primary: true, label: 'mobile' }],
        emails: [{ value: 'Jane@Example.com', primary: true }],
      },
    });
    const byPhone = await persons.searchPersons({ term: '+15551234567', fields: 'phone', exact_match: true });
    const byEmail = await persons.searchPersons({
      term: 'jane@example.com',
      fields: 'email',
      exact_match: true,
    });
    const other = await persons.searchPersons({ term: '+15550000000', fields: 'phone', exact_match: true });
    expect(byPhone.data?.items?.map((i) => i.item?.id)).toEqual([created.data?.id]);
    expect(byPhone.data?.items?.[0]?.item?.phones).toEqual(['+1 (555) 123-4567']);
    expect(byEmail.data?.items?.map((i) => i.item?.id)).toEqual([created.data?.id]);
    expect(other.data?.items).toEqual([]);
  });

  it('lists custom fields with 40-character keys and enum options with ids', async () => {
    const { url } = await start();
    const fields = await sdk(url).personFields.getPersonFields({ limit: 500 });
    const projectType = fields.data?.find((f) => f.field_name === 'AI Project Type');
    expect(projectType?.field_code).toMatch(/^[0-9a-f]{40}$/);
    expect(projectType?.is_custom_field).toBe(true);
    expect(projectType?.options?.map((o) => o.label)).toContain('Whole Home');
    expect(projectType?.options?.every((o) => typeof o.id === 'number')).toBe(true);
    expect(fields.data?.find((f) => f.field_code === 'name')?.is_custom_field).toBe(false);
  });

  it('lists the same fields through v1, with `key` and paging by start', async () => {
    const { url, fieldKey } = await start();
    const answer = await call(url, 'GET', '/api/v1/dealFields?start=0&limit=500');
    const data = answer.body.data as Array<{ key: string; name: string; options?: unknown[] }>;
    expect(data.find((f) => f.name === 'Timeline')?.key).toBe(fieldKey('deal', 'Timeline'));
    expect(data.find((f) => f.name === 'Timeline')?.options).toHaveLength(3);
    expect(answer.body.additional_data).toEqual({
      pagination: { start: 0, limit: 500, more_items_in_collection: false },
    });
  });

  it('hides new persons from search while its index lags, when told to', async () => {
    let now = 1_000_000;
    const { url } = await start({ searchLagMs: 30_000, now: () => now });
    const { persons } = sdk(url);
    await persons.addPerson({ AddPersonRequest: { name: 'Jane', phones: [{ value: '+15551234567' }] } });
    const search = () => persons.searchPersons({ term: '+15551234567', fields: 'phone', exact_match: true });
    expect((await search()).data?.items).toHaveLength(0);
    now += 31_000;
    expect((await search()).data?.items).toHaveLength(1);
  });
});

describe('Pipedrive emulator: what Pipedrive refuses', () => {
  it('answers 401 with the gateway error body for a wrong token, by header or query', async () => {
    const { url } = await start();
    const byHeader = await call(url, 'GET', '/api/v2/persons/1', undefined, 'wrong');
    const byQuery = await fetch(`${url}/api/v1/users/me?api_token=wrong`);
    const none = await call(url, 'GET', '/api/v1/users/me', undefined, null);
    expect(byHeader.status).toBe(401);
    expect(byHeader.body).toMatchObject({ success: false, error: 'unauthorized access', errorCode: 401 });
    expect(byQuery.status).toBe(401);
    expect(none.status).toBe(401);
    const good = await fetch(`${url}/api/v1/users/me?api_token=${DEFAULT_TOKEN}`);
    expect(good.status).toBe(200);
  });

  it('rejects an unknown parameter, a wrong type and a missing name with ERR_SCHEMA_VALIDATION_FAILED', async () => {
    const { url, persons } = await start();
    const answer = await call(url, 'POST', '/api/v2/persons', { phone: '+15551234567', owner_id: 'me' });
    expect(answer.status).toBe(400);
    expect(answer.body.success).toBe(false);
    expect(answer.body.code).toBe('ERR_SCHEMA_VALIDATION_FAILED');
    expect(answer.body.error).toContain("phone: Parameter 'phone' is not allowed for this request");
    expect(answer.body.error).toContain("owner_id: Expected 'integer'");
    expect(answer.body.error).toContain('name: Required');
    expect(persons()).toHaveLength(0);
  });

  it('rejects custom fields by name, unknown keys, wrong value types and option ids the field lacks', async () => {
    const { url, fieldKey, optionId } = await start();
    const score = fieldKey('person', 'AI Lead Score');
    const type = fieldKey('person', 'AI Project Type');
    const post = (custom_fields: Record<string, unknown>) =>
      call(url, 'POST', '/api/v2/persons', { name: 'Jane', custom_fields });
    const byName = await post({ ai_lead_score: 85 });
    const wrongType = await post({ [score]: '85' });
    const label = await post({ [type]: 'Kitchen' });
    const badOption = await post({ [type]: 99_999 });
    const good = await post({ [score]: 85, [type]: optionId('person', 'AI Project Type', 'Kitchen') });
    expect(byName.body.error).toContain("Custom field 'ai_lead_score' does not exist");
    expect(wrongType.body.error).toContain(`Expected 'number' as value for numeric custom field '${score}'`);
    expect(label.body.error).toContain(`Expected 'number' as value for single option custom field '${type}'`);
    expect(badOption.body.error).toContain('Option with ID 99999 does not exist');
    for (const refused of [byName, wrongType, label, badOption]) expect(refused.status).toBe(400);
    expect(good.status).toBe(200);
  });

  it('rejects a deal whose person, stage or owner does not exist, or whose stage is in another pipeline', async () => {
    const { url, deals } = await start();
    const missing = await call(url, 'POST', '/api/v2/deals', {
      title: 'Kitchen',
      person_id: 42,
      owner_id: 9,
    });
    const otherPipeline = await call(url, 'POST', '/api/v2/deals', {
      title: 'K',
      pipeline_id: 1,
      stage_id: 3,
    });
    const noTitle = await call(url, 'POST', '/api/v2/deals', { value: 100, currency: 'usd' });
    expect(missing.body.error).toContain('person_id: Entity with ID 42 not found');
    expect(missing.body.error).toContain('owner_id: Entity with ID 9 not found');
    expect(otherPipeline.body.error).toContain('does not belong to pipeline 1');
    expect(noTitle.body.error).toContain('title: Required');
    expect(noTitle.body.error).toContain('currency: Expected a 3-letter currency code');
    expect(deals()).toHaveLength(0);
  });

  it('rejects a search without term or with a field it cannot search', async () => {
    const { url } = await start();
    const noTerm = await call(url, 'GET', '/api/v2/persons/search?fields=phone');
    const badField = await call(url, 'GET', '/api/v2/persons/search?term=jane&fields=address');
    expect(noTerm.status).toBe(400);
    expect(noTerm.body.error).toContain('term: Required');
    expect(badField.status).toBe(400);
    expect(badField.body.error).toContain("fields: Invalid value 'address'");
  });

  it('answers 404 ERR_NOT_FOUND for a person it does not have', async () => {
    const { url } = await start();
    const answer = await call(url, 'PATCH', '/api/v2/persons/77', { name: 'X' });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ success: false, code: 'ERR_NOT_FOUND' });
  });
});

describe('Pipedrive emulator: limits and faults', () => {
  it('sends the rate-limit headers and answers 429 past the 2-second burst window', async () => {
    let now = 5_000_000;
    const { url } = await start({ burstLimit: 3, now: () => now });
    const first = await call(url, 'GET', '/api/v2/persons/search?term=jane&fields=name');
    expect(first.headers.get('x-ratelimit-limit')).toBe('3');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('2');
    expect(first.headers.get('x-ratelimit-reset')).toBe('2');
    await call(url, 'GET', '/api/v2/persons/search?term=jane&fields=name');
    await call(url, 'GET', '/api/v2/persons/search?term=jane&fields=name');
    const over = await call(url, 'GET', '/api/v2/persons/search?term=jane&fields=name');
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ success: false, error: 'Request over limit', errorCode: 429 });
    expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
    now += 2_000;
    expect((await call(url, 'GET', '/api/v2/persons/search?term=jane&fields=name')).status).toBe(200);
  });

  it('answers 429 for the daily budget with a reset at UTC midnight, and 5xx on demand', async () => {
    const now = Date.parse('2026-03-02T23:00:00Z');
    const { url } = await start({ now: () => now });
    emulator?.rateLimitNext(1, 'daily');
    emulator?.failNext(1, 500);
    emulator?.failNext(1, 502);
    const daily = await call(url, 'GET', '/api/v2/persons/1');
    const unknown = await call(url, 'GET', '/api/v2/persons/1');
    const gateway = await call(url, 'GET', '/api/v2/persons/1');
    expect(daily.status).toBe(429);
    expect(daily.headers.get('x-daily-requests-left')).toBe('0');
    expect(daily.headers.get('x-ratelimit-reset')).toBe('3600');
    expect(unknown.status).toBe(500);
    expect(unknown.body).toMatchObject({ success: false, code: 'ERR_UNKNOWN' });
    expect(gateway.status).toBe(502);
  });

  it('counts writes against x-daily-requests-left and refuses them at zero', async () => {
    const { url } = await start({ dailyWritesLeft: 1 });
    const first = await call(url, 'POST', '/api/v2/persons', { name: 'Jane' });
    const second = await call(url, 'POST', '/api/v2/persons', { name: 'John' });
    expect(first.headers.get('x-daily-requests-left')).toBe('0');
    expect(second.status).toBe(429);
    expect((await call(url, 'GET', '/api/v2/persons/1')).status).toBe(200);
  });
});

describe('Pipedrive emulator: call logs (API v1)', () => {
  const valid = {
    outcome: 'connected',
    to_phone_number: '+18005550100',
    start_time: '2026-11-24 17:20:00',
    end_time: '2026-11-24 17:23:00',
    duration: '180',
  };

  it('adds a call log linked to a person and answers its text id', async () => {
    const { url, ...emulator } = await start();
    const person = await call(url, 'POST', '/api/v2/persons', { name: 'Jane Doe' });
    const personId = (person.body.data as { id: number }).id;
    const added = await call(url, 'POST', '/api/v1/callLogs', { ...valid, person_id: personId });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ success: true, data: { person_id: personId, outcome: 'connected' } });
    expect(typeof (added.body.data as { id: unknown }).id).toBe('string');
    expect(emulator.callLogs()).toHaveLength(1);
  });

  it("is also a done call activity, due when the call started (UTC), listed among the person's activities", async () => {
    const { url } = await start();
    const person = await call(url, 'POST', '/api/v2/persons', { name: 'Jane Doe' });
    const personId = (person.body.data as { id: number }).id;
    const added = await call(url, 'POST', '/api/v1/callLogs', {
      ...valid,
      subject: 'Inbound call from Jane Doe',
      note: 'Wants a kitchen',
      person_id: personId,
      user_id: DEFAULT_USER.id,
    });
    const log = added.body.data as { activity_id: number };

    const listed = await call(url, 'GET', `/api/v2/activities?person_id=${personId}`);
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        id: log.activity_id,
        type: 'call',
        subject: 'Inbound call from Jane Doe',
        done: true,
        due_date: '2026-11-24',
        due_time: '17:20',
        duration: '00:03',
        note: 'Wants a kitchen',
        person_id: personId,
        deal_id: null,
        owner_id: DEFAULT_USER.id,
        add_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      }),
    ]);
  });

  it("converts the call activity activity_id names, keeping its person, and refuses another type's", async () => {
    const { url, ...emulator } = await start();
    const person = await call(url, 'POST', '/api/v2/persons', { name: 'Jane Doe' });
    const personId = (person.body.data as { id: number }).id;
    const planned = await call(url, 'POST', '/api/v2/activities', {
      subject: 'Call Jane',
      type: 'call',
      person_id: personId,
    });
    const plannedId = (planned.body.data as { id: number }).id;
    const converted = await call(url, 'POST', '/api/v1/callLogs', { ...valid, activity_id: plannedId });
    expect(converted.body.data).toMatchObject({ activity_id: plannedId, person_id: personId });
    expect(emulator.activities()).toEqual([
      expect.objectContaining({ id: plannedId, subject: 'Call Jane', done: true, due_date: '2026-11-24' }),
    ]);

    const task = await call(url, 'POST', '/api/v2/activities', { subject: 'Follow up', type: 'task' });
    const refused = await call(url, 'POST', '/api/v1/callLogs', {
      ...valid,
      activity_id: (task.body.data as { id: number }).id,
    });
    expect([refused.status, refused.body.error]).toEqual([
      400,
      'activity_id must refer to a call type activity',
    ]);
    expect(emulator.callLogs()).toHaveLength(1);
  });

  it('refuses a call log without its required fields, with a wrong time format, or for an unknown person', async () => {
    const { url } = await start();
    const missing = await call(url, 'POST', '/api/v1/callLogs', { outcome: 'connected' });
    expect([missing.status, missing.body.success]).toEqual([400, false]);
    expect(missing.body.error).toBe(
      'to_phone_number is required; start_time is required; end_time is required',
    );
    const iso = await call(url, 'POST', '/api/v1/callLogs', { ...valid, start_time: '2026-11-24T17:20:00Z' });
    expect(iso.body.error).toContain('start_time must be in the format YYYY-MM-DD HH:MM:SS');
    const outcome = await call(url, 'POST', '/api/v1/callLogs', { ...valid, outcome: 'answered' });
    expect(outcome.body.error).toContain('outcome must be one of');
    const nobody = await call(url, 'POST', '/api/v1/callLogs', { ...valid, person_id: 4242 });
    expect([nobody.status, nobody.body.error]).toEqual([404, 'Person not found']);
  });
});

describe('Pipedrive emulator: activities listed (API v2)', () => {
  it("lists a person's activities newest first, read directly, and refuses a sort it does not know", async () => {
    const { url } = await start();
    const jane = (await call(url, 'POST', '/api/v2/persons', { name: 'Jane Doe' })).body.data as {
      id: number;
    };
    const john = (await call(url, 'POST', '/api/v2/persons', { name: 'John Roe' })).body.data as {
      id: number;
    };
    await call(url, 'POST', '/api/v2/activities', { subject: 'Follow up', type: 'task', person_id: jane.id });
    await call(url, 'POST', '/api/v2/activities', { subject: 'Call back', type: 'call', person_id: jane.id });
    await call(url, 'POST', '/api/v2/activities', { subject: 'Other', type: 'task', person_id: john.id });

    const listed = await call(
      url,
      'GET',
      `/api/v2/activities?person_id=${jane.id}&sort_by=add_time&sort_direction=desc&limit=100`,
    );
    expect((listed.body.data as Array<{ subject: string }>).map((a) => a.subject)).toEqual([
      'Call back',
      'Follow up',
    ]);
    const badSort = await call(url, 'GET', `/api/v2/activities?person_id=${jane.id}&sort_by=subject`);
    expect([badSort.status, badSort.body.success]).toEqual([400, false]);
  });
});
