import { afterEach, describe, expect, it } from 'vitest';
import { startZohoEmulator, type ZohoEmulator } from './emulator.js';

let emulator: ZohoEmulator | undefined;

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const CLIENT = { clientId: '1000.CLIENT', clientSecret: 'secret', refreshTokens: ['1000.refresh'] };

async function started(): Promise<ZohoEmulator> {
  emulator = await startZohoEmulator({ clients: [CLIENT], tokensPerTenMinutes: 2 });
  return emulator;
}

async function token(e: ZohoEmulator, refreshToken = '1000.refresh') {
  // Zoho's own examples put the parameters in the query string; the emulator takes both forms.
  const query = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
  });
  const response = await fetch(`${e.url}/oauth/v2/token?${query}`, { method: 'POST' });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function upsert(e: ZohoEmulator, accessToken: string, body: unknown, path = '/crm/v8/Leads/upsert') {
  const response = await fetch(`${e.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Zoho-oauthtoken ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { code?: string; data?: Array<Record<string, unknown>> },
  };
}

describe('Zoho emulator refuses what Zoho refuses', () => {
  it('answers an unknown refresh token with 200 invalid_code, and throttles token requests', async () => {
    const e = await started();
    expect(await token(e, '1000.unknown')).toEqual({ status: 200, body: { error: 'invalid_code' } });
    await token(e);
    await token(e);
    const third = await token(e);
    expect(third.status).toBe(400);
    expect(third.body.error).toBe('Access Denied');
  });

  it('refuses a wrong or missing token and an unknown module', async () => {
    const e = await started();
    const { body } = await token(e);
    const accessToken = String(body.access_token);
    expect((await upsert(e, 'nope', { data: [{ Last_Name: 'x' }] })).body.code).toBe('INVALID_TOKEN');
    const anonymous = await fetch(`${e.url}/crm/v8/Leads/upsert`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"data":[{"Last_Name":"x"}]}',
    });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('AUTHENTICATION_FAILURE');
    const module = await upsert(e, accessToken, { data: [{ Last_Name: 'x' }] }, '/crm/v8/Leeds/upsert');
    expect(module).toMatchObject({ status: 400, body: { code: 'INVALID_MODULE' } });
  });

  it('answers per record: 207 with one success and one INVALID_DATA naming the field', async () => {
    const e = await started();
    const accessToken = String((await token(e)).body.access_token);
    const { status, body } = await upsert(e, accessToken, {
      data: [{ Last_Name: 'Doe' }, { Last_Name: 'Roe', Email: 'not-an-email' }],
      duplicate_check_fields: ['Email'],
    });
    expect(status).toBe(207);
    expect(body.data?.[0]).toMatchObject({ code: 'SUCCESS', action: 'insert' });
    expect(body.data?.[1]).toMatchObject({
      code: 'INVALID_DATA',
      status: 'error',
      details: { api_name: 'Email', expected_data_type: 'email', json_path: '$.data[1].Email' },
    });
    expect(e.records()).toHaveLength(1);
  });

  it('refuses a duplicate check field it cannot check, an unknown trigger and more than 100 records', async () => {
    const e = await started();
    const accessToken = String((await token(e)).body.access_token);
    const field = await upsert(e, accessToken, {
      data: [{ Last_Name: 'x' }],
      duplicate_check_fields: ['AI_Lead_Score'],
    });
    const trigger = await upsert(e, accessToken, { data: [{ Last_Name: 'x' }], trigger: ['webhook'] });
    const many = await upsert(e, accessToken, {
      data: Array.from({ length: 101 }, () => ({ Last_Name: 'x' })),
    });
    expect(field.body.code).toBe('INVALID_DATA');
    expect(trigger.body.code).toBe('INVALID_DATA');
    expect(many.body.code).toBe('LIMIT_EXCEEDED');
    expect(e.records()).toHaveLength(0);
  });
});

describe('Zoho emulator: the Calls module', () => {
  const CALL = {
    Subject: 'Inbound call from Jane Doe',
    Call_Type: 'Inbound',
    Call_Start_Time: '2026-11-24T17:20:00+00:00',
    Call_Duration: '03:00',
  };

  it('inserts a call on an existing lead and refuses one on a lead it does not have', async () => {
    const e = await started();
    const accessToken = String((await token(e)).body.access_token);
    const lead = e.leads.insert({ Last_Name: 'Doe' });
    const added = await upsert(
      e,
      accessToken,
      { data: [{ ...CALL, What_Id: { id: lead.id }, $se_module: 'Leads' }] },
      '/crm/v8/Calls',
    );
    expect([added.status, added.body.data?.[0]?.code]).toEqual([201, 'SUCCESS']);
    expect(e.calls()).toHaveLength(1);
    const orphan = await upsert(
      e,
      accessToken,
      { data: [{ ...CALL, What_Id: { id: '5725767000000000001' }, $se_module: 'Leads' }] },
      '/crm/v8/Calls',
    );
    expect([orphan.status, orphan.body.data?.[0]?.code, orphan.body.data?.[0]?.details]).toEqual([
      400,
      'INVALID_DATA',
      expect.objectContaining({ api_name: 'What_Id' }),
    ]);
  });

  it('names a missing start time, an answered call without a duration and a wrong duration format', async () => {
    const e = await started();
    const accessToken = String((await token(e)).body.access_token);
    const { Call_Start_Time: _start, ...untimed } = CALL;
    const { Call_Duration: _duration, ...unmeasured } = CALL;
    const answer = await upsert(
      e,
      accessToken,
      {
        data: [
          untimed,
          unmeasured,
          { ...CALL, Call_Duration: '180' },
          { ...unmeasured, Call_Type: 'Missed' },
        ],
      },
      '/crm/v8/Calls',
    );
    expect(answer.status).toBe(207);
    expect(
      answer.body.data?.map((result) => [result.code, (result.details as { api_name?: string }).api_name]),
    ).toEqual([
      ['MANDATORY_NOT_FOUND', 'Call_Start_Time'],
      ['MANDATORY_NOT_FOUND', 'Call_Duration'],
      ['INVALID_DATA', 'Call_Duration'],
      ['SUCCESS', undefined],
    ]);
  });

  it("lists a lead's calls read live with only the fields asked for, 204 when it has none", async () => {
    const e = await started();
    const accessToken = String((await token(e)).body.access_token);
    const lead = e.leads.insert({ Last_Name: 'Doe' });
    const other = e.leads.insert({ Last_Name: 'Roe' });
    const related = (path: string) =>
      fetch(`${e.url}${path}`, { headers: { authorization: `Zoho-oauthtoken ${accessToken}` } });
    expect((await related(`/crm/v8/Leads/${lead.id}/Calls?fields=Subject,Created_Time`)).status).toBe(204);
    await upsert(
      e,
      accessToken,
      { data: [{ ...CALL, What_Id: { id: lead.id }, $se_module: 'Leads' }] },
      '/crm/v8/Calls',
    );

    const listed = await related(`/crm/v8/Leads/${lead.id}/Calls?fields=Subject,Created_Time`);
    const body = (await listed.json()) as { data: Array<Record<string, unknown>>; info: unknown };
    expect(body.data).toEqual([
      {
        Subject: CALL.Subject,
        Created_Time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/),
        id: e.calls()[0]?.id,
      },
    ]);
    expect(body.info).toMatchObject({ count: 1, page: 1, more_records: false });
    expect((await related(`/crm/v8/Leads/${other.id}/Calls?fields=Subject`)).status).toBe(204);
    const unasked = await related(`/crm/v8/Leads/${lead.id}/Calls`);
    expect([unasked.status, ((await unasked.json()) as { code: string }).code]).toEqual([
      400,
      'REQUIRED_PARAM_MISSING',
    ]);
    const anonymous = await fetch(`${e.url}/crm/v8/Leads/${lead.id}/Calls?fields=Subject`);
    expect(anonymous.status).toBe(401);
  });
});

describe('Zoho emulator: records read directly', () => {
  it('lists the newest leads first with only the fields asked for, 204 when there are none', async () => {
    const e = await started();
    const accessToken = String((await token(e)).body.access_token);
    const get = (path: string) =>
      fetch(`${e.url}${path}`, { headers: { authorization: `Zoho-oauthtoken ${accessToken}` } });
    expect((await get('/crm/v8/Leads?fields=Last_Name')).status).toBe(204);
    e.leads.insert({ Last_Name: 'Doe', City: 'Austin' });
    e.leads.insert({ Last_Name: 'Roe', City: 'Dallas' });

    const listed = await get('/crm/v8/Leads?fields=Last_Name,Created_Time&sort_by=Created_Time');
    const body = (await listed.json()) as { data: Array<Record<string, unknown>> };
    expect(body.data.map((lead) => Object.keys(lead).sort())).toEqual([
      ['Created_Time', 'Last_Name', 'id'],
      ['Created_Time', 'Last_Name', 'id'],
    ]);
    expect(body.data.map((lead) => lead.Last_Name)).toEqual(['Roe', 'Doe']);
    const unasked = await get('/crm/v8/Leads');
    expect([unasked.status, ((await unasked.json()) as { code: string }).code]).toEqual([
      400,
      'REQUIRED_PARAM_MISSING',
    ]);
  });
});
