import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { Connection } from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';
import { type SalesforceEmulator, startSalesforceEmulator } from './emulator.js';

const CONSUMER_KEY = '3MVG9TestKey';
const USERNAME = 'api@company.com';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });

let emulator: SalesforceEmulator | undefined;

async function start(options: Partial<Parameters<typeof startSalesforceEmulator>[0]> = {}) {
  emulator = await startSalesforceEmulator({
    connectedApps: [{ consumerKey: CONSUMER_KEY, certificate: keys.publicKey, usernames: [USERNAME] }],
    ...options,
  });
  return emulator;
}

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

function assertion(
  url: string,
  claims: { iss?: string; sub?: string; aud?: string; expIn?: number } = {},
  key = keys.privateKey,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(claims.iss ?? CONSUMER_KEY)
    .setSubject(claims.sub ?? USERNAME)
    .setAudience(claims.aud ?? url)
    .setExpirationTime(now + (claims.expIn ?? 120))
    .sign(key);
}

async function token(url: string, jwt: string): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

async function connect(e: SalesforceEmulator, version = '62.0'): Promise<Connection> {
  const { body } = await token(e.url, await assertion(e.url));
  return new Connection({ instanceUrl: e.url, accessToken: body.access_token, version });
}

async function rejection(
  promise: PromiseLike<unknown>,
): Promise<{ errorCode: string; message: string; data: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as { errorCode: string; message: string; data: unknown };
  }
  throw new Error('expected Salesforce to refuse');
}

describe('Salesforce emulator: JWT bearer flow', () => {
  it('issues a token for a valid assertion, in the real answer shape', async () => {
    const e = await start();
    const { status, body } = await token(e.url, await assertion(e.url));
    expect(status).toBe(200);
    expect(body).toMatchObject({ instance_url: e.url, token_type: 'Bearer', scope: 'api' });
    expect(body.id).toMatch(/\/id\/00D\w+\/005\w+$/);
    expect(body.access_token).toMatch(/^00D\w{12}!/);
  });

  it.each([
    ['a key the connected app does not have', {}, otherKeys.privateKey, 'invalid_grant', 'invalid assertion'],
    [
      'an unknown consumer key',
      { iss: 'nope' },
      keys.privateKey,
      'invalid_client_id',
      'client identifier invalid',
    ],
    [
      'a wrong audience',
      { aud: 'https://login.salesforce.com' },
      keys.privateKey,
      'invalid_grant',
      'audience is invalid',
    ],
    ['an expired assertion', { expIn: -60 }, keys.privateKey, 'invalid_grant', 'expired authorization code'],
    [
      'an exp more than 3 minutes ahead',
      { expIn: 600 },
      keys.privateKey,
      'invalid_grant',
      'invalid assertion',
    ],
    [
      'a user not pre-authorized',
      { sub: 'someone@company.com' },
      keys.privateKey,
      'invalid_grant',
      "user hasn't approved this consumer",
    ],
  ])('refuses %s', async (_case, claims, key, error, description) => {
    const e = await start();
    const { status, body } = await token(e.url, await assertion(e.url, claims, key));
    expect(status).toBe(400);
    expect(body).toEqual({ error, error_description: description });
  });
});

describe('Salesforce emulator: REST through jsforce', () => {
  it('creates, reads, updates (204) and queries a Lead, with Sforce-Limit-Info on each answer', async () => {
    const e = await start();
    const conn = await connect(e);
    const created = await conn
      .sobject('Lead')
      .create({ LastName: 'Doe', Company: 'Acme', Phone: '+15551234567' });
    expect(created).toMatchObject({ success: true, errors: [] });
    expect(created.id).toMatch(/^00Q\w{15}$/);
    await conn.sobject('Lead').update({ Id: created.id as string, City: 'Austin' });
    const read = await conn.sobject('Lead').retrieve(created.id as string);
    expect(read).toMatchObject({
      LastName: 'Doe',
      City: 'Austin',
      Status: 'Open - Not Contacted',
      IsConverted: false,
    });
    const found = await conn.query(
      "SELECT Id, Phone FROM Lead WHERE IsConverted = false AND (Phone IN ('+15551234567') OR Email = 'x@y.io') ORDER BY CreatedDate ASC LIMIT 5",
    );
    expect(found.records.map((r) => r.Id)).toEqual([created.id]);
    expect(conn.limitInfo.apiUsage).toEqual({ used: 4, limit: 100_000 });
    expect(e.requestsTo('PATCH', `/services/data/v62.0/sobjects/Lead/${created.id}`)[0]?.status).toBe(204);
  });

  it('refuses a Lead without LastName, an unknown field, a wrong type, a bad picklist value and a long text', async () => {
    const e = await start();
    const conn = await connect(e);
    const lead = conn.sobject('Lead');
    expect(await rejection(lead.create({ Company: 'Acme' }))).toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      data: { fields: ['LastName'] },
    });
    expect(await rejection(lead.create({ LastName: 'D', Company: 'A', Favourite__c: 'x' }))).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Favourite__c' on sobject of type Lead",
    });
    expect(
      await rejection(lead.create({ LastName: 'D', Company: 'A', AI_Lead_Score__c: 'high' })),
    ).toMatchObject({
      errorCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
      data: { fields: ['AI_Lead_Score__c'] },
    });
    expect(
      await rejection(lead.create({ LastName: 'D', Company: 'A', AI_Lead_Score__c: 1000 })),
    ).toMatchObject({
      errorCode: 'NUMBER_OUTSIDE_VALID_RANGE',
    });
    expect(
      await rejection(lead.create({ LastName: 'D', Company: 'A', AI_Project_Type__c: 'whole_home' })),
    ).toMatchObject({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'AI Project Type: bad value for restricted picklist field: whole_home',
    });
    expect(
      await rejection(lead.create({ LastName: 'D', Company: 'A', AI_Timeline__c: 'x'.repeat(256) })),
    ).toMatchObject({
      errorCode: 'STRING_TOO_LONG',
    });
    expect(
      await rejection(lead.create({ LastName: 'D', Company: 'A', Email: 'not-an-email' })),
    ).toMatchObject({
      errorCode: 'INVALID_EMAIL_ADDRESS',
    });
    expect(await rejection(lead.create({ LastName: 'D', Company: 'A', IsConverted: true }))).toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
    });
    expect(e.leads()).toHaveLength(0);
  });

  it('describes Lead with the guide fields, their types and picklist values', async () => {
    const e = await start();
    const conn = await connect(e);
    const describe = await conn.sobject('Lead').describe();
    const field = (name: string) => describe.fields.find((f) => f.name === name);
    expect(field('Call_Recording_URL__c')?.type).toBe('url');
    expect(field('Call_Transcript__c')).toMatchObject({ type: 'textarea', length: 131_072 });
    expect(field('AI_Timeline__c')?.type).toBe('string');
    expect(field('AI_Lead_Score__c')).toMatchObject({ type: 'double', precision: 3, scale: 0 });
    expect(field('AI_Project_Type__c')).toMatchObject({ type: 'picklist', restrictedPicklist: true });
    expect(field('AI_Project_Type__c')?.picklistValues?.map((p) => p.value)).toEqual([
      'Kitchen',
      'Bathroom',
      'Whole Home',
      'Addition',
      'Unknown',
    ]);
  });

  it('parses the SOQL subset and refuses malformed queries and unknown columns as Salesforce does', async () => {
    const e = await start();
    const conn = await connect(e);
    await conn.sobject('Lead').create({ LastName: "O'Brien", Company: 'A', Email: "o'brien\\x@example.com" });
    const escaped = await conn.query(
      "SELECT Id, LastName FROM Lead WHERE Email = 'O\\'BRIEN\\\\x@example.com'",
    );
    expect(escaped.records.map((r) => r.LastName)).toEqual(["O'Brien"]);
    expect(await rejection(conn.query("SELECT Id FROM Lead WHERE Email = 'unterminated"))).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
    expect(await rejection(conn.query("SELECT Id FROM Lead WHERE Email == 'x'"))).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
    expect(await rejection(conn.query('SELECT Id FROM Lead LIMIT'))).toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
    expect(await rejection(conn.query("SELECT Idd FROM Lead WHERE Phone = '1'"))).toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    expect(await rejection(conn.query('SELECT Id FROM Leed'))).toMatchObject({ errorCode: 'INVALID_TYPE' });
    expect(await rejection(conn.query("SELECT Id FROM Lead WHERE Call_Transcript__c = 'x'"))).toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
  });

  it('blocks a duplicate Lead with the real DUPLICATES_DETECTED body, unless allowSave', async () => {
    const e = await start();
    const conn = await connect(e);
    const first = await conn.sobject('Lead').create({ LastName: 'D', Company: 'A', Phone: '(555) 123-4567' });
    const error = await rejection(
      conn.sobject('Lead').create({ LastName: 'D', Company: 'A', Phone: '+15551234567' }),
    );
    expect(error.errorCode).toBe('DUPLICATES_DETECTED');
    expect(error.data).toMatchObject({
      duplicateResut: {
        allowSave: false,
        matchResults: [{ entityType: 'Lead', matchRecords: [{ record: { Id: first.id } }] }],
      },
    });
    const allowed = await conn
      .sobject('Lead')
      .create(
        { LastName: 'D', Company: 'A', Phone: '+15551234567' },
        { headers: { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' } },
      );
    expect(allowed.success).toBe(true);
  });

  it('runs composite subrequests with @{ref.id}, counting one API request, and rolls back all-or-none', async () => {
    const e = await start();
    const conn = await connect(e);
    const ok = await conn.requestPost<{
      compositeResponse: Array<{ httpStatusCode: number; body: { id: string } }>;
    }>('/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Lead',
          referenceId: 'lead',
          body: { LastName: 'D', Company: 'A' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Task',
          referenceId: 'task',
          body: { Subject: 'Call', WhoId: '@{lead.id}' },
        },
      ],
    });
    expect(ok.compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 201]);
    expect(e.tasks()[0]?.fields.WhoId).toBe(ok.compositeResponse[0]?.body.id);
    expect(conn.limitInfo.apiUsage?.used).toBe(1);

    const failed = await conn.requestPost<{
      compositeResponse: Array<{ httpStatusCode: number; body: unknown }>;
    }>('/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Lead',
          referenceId: 'lead',
          body: { LastName: 'E', Company: 'A' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Task',
          referenceId: 'task',
          body: { Priority: 'Urgent', WhoId: '@{lead.id}' },
        },
      ],
    });
    expect(failed.compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 400]);
    expect(failed.compositeResponse[0]?.body).toEqual([
      expect.objectContaining({ errorCode: 'PROCESSING_HALTED' }),
    ]);
    expect(failed.compositeResponse[1]?.body).toEqual([
      expect.objectContaining({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Priority'] }),
    ]);
    expect(e.leads()).toHaveLength(1);
  });

  it('rolls back only its own writes: leads written by composites running beside a failed one stay', async () => {
    const e = await start();
    const conn = await connect(e);
    type Answer = { compositeResponse: Array<{ httpStatusCode: number; body: { id?: string } }> };
    // Twenty composites at once, every other one failing at its task (a picklist value the org lacks)
    // while the others are between their subrequests.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        conn.requestPost<Answer>('/composite', {
          allOrNone: true,
          compositeRequest: [
            {
              method: 'POST',
              url: '/services/data/v62.0/sobjects/Lead',
              referenceId: 'lead',
              body: { LastName: `Caller ${i}`, Company: 'A' },
            },
            {
              method: 'POST',
              url: '/services/data/v62.0/sobjects/Task',
              referenceId: 'task',
              body: { Subject: 'Call', WhoId: '@{lead.id}', ...(i % 2 === 1 ? { Priority: 'Urgent' } : {}) },
            },
          ],
        }),
      ),
    );
    const kept = answers.filter((a) => a.compositeResponse.every((r) => r.httpStatusCode === 201));
    expect(kept).toHaveLength(10);
    expect(
      e
        .leads()
        .map((lead) => lead.Id)
        .sort(),
    ).toEqual(kept.map((a) => a.compositeResponse[0]?.body.id).sort());
    expect(e.tasks()).toHaveLength(10);
  });

  it('answers sObject Collections per record', async () => {
    const e = await start();
    const conn = await connect(e);
    const results = await conn.sobject('Lead').create([{ LastName: 'A', Company: 'A' }, { Company: 'B' }]);
    expect(results.map((r) => r.success)).toEqual([true, false]);
    expect(results[1]).toMatchObject({
      errors: [expect.objectContaining({ statusCode: 'REQUIRED_FIELD_MISSING' })],
    });
    expect(e.requestsTo('POST', '/services/data/v62.0/composite/sobjects')).toHaveLength(1);
  });

  it('refuses an expired token, an unsupported API version, and calls past the daily limit', async () => {
    const e = await start({ apiRequestLimit: 2 });
    const conn = await connect(e);
    const old = await connect(e, '20.0');
    expect(await rejection(old.query('SELECT Id FROM Lead'))).toMatchObject({ errorCode: 'NOT_FOUND' });
    await conn.query('SELECT Id FROM Lead');
    await conn.query('SELECT Id FROM Lead');
    expect(await rejection(conn.query('SELECT Id FROM Lead'))).toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
    });
    e.expireTokens();
    expect(await rejection(conn.query('SELECT Id FROM Lead'))).toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
    });
  });

  it('fails on demand: 503, REQUEST_LIMIT_EXCEEDED, a custom error', async () => {
    const e = await start();
    const conn = await connect(e);
    e.failNext(1, 503);
    expect(await rejection(conn.sobject('Lead').create({ LastName: 'D', Company: 'A' }))).toMatchObject({
      errorCode: 'SERVER_UNAVAILABLE',
    });
    e.requestLimitNext(1);
    expect(await rejection(conn.sobject('Lead').create({ LastName: 'D', Company: 'A' }))).toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
    });
    e.failNextWith(1, 400, {
      errorCode: 'UNABLE_TO_LOCK_ROW',
      message: 'unable to obtain exclusive access to this record',
    });
    expect(await rejection(conn.sobject('Lead').create({ LastName: 'D', Company: 'A' }))).toMatchObject({
      errorCode: 'UNABLE_TO_LOCK_ROW',
    });
    expect(e.leads()).toHaveLength(0);
  });
});

describe('Salesforce emulator: call tasks', () => {
  it('logs a Call task on a lead, and refuses a Related To beside the lead, a bad CallType and a later subtype change', async () => {
    const e = await start();
    const conn = await connect(e);
    const lead = (await conn.sobject('Lead').create({ LastName: 'Doe', Company: 'x' })) as { id: string };
    const call = { TaskSubtype: 'Call', CallType: 'Inbound', CallDurationInSeconds: 180, WhoId: lead.id };
    const logged = (await conn.sobject('Task').create(call)) as { id: string };
    expect(e.tasks()[0]?.fields).toMatchObject(call);

    expect(
      await rejection(conn.sobject('Task').create({ ...call, WhatId: '006000000000001AAA' })),
    ).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', data: { fields: ['WhoId', 'WhatId'] } });
    expect(
      await rejection(conn.sobject('Task').create({ ...call, WhoId: '00Q000000000404AAA' })),
    ).toMatchObject({ errorCode: 'INVALID_CROSS_REFERENCE_KEY' });
    expect(await rejection(conn.sobject('Task').create({ ...call, CallType: 'Incoming' }))).toMatchObject({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    });
    expect(
      await rejection(conn.sobject('Task').update({ Id: logged.id, TaskSubtype: 'Task' })),
    ).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' });
  });
});

describe('Salesforce emulator: Tooling API custom fields and upsert by external id', () => {
  const KEY_FIELD = 'Leadstream_Idempotency_Key__c';
  const keyField = {
    FullName: `Lead.${KEY_FIELD}`,
    Metadata: {
      label: 'Leadstream Idempotency Key',
      type: 'Text',
      length: 80,
      unique: true,
      externalId: true,
      caseSensitive: true,
    },
  };

  async function rest(
    e: SalesforceEmulator,
    method: string,
    path: string,
    body?: unknown,
    accessToken?: string,
  ): Promise<{ status: number; body: unknown; location: string | null }> {
    const bearer = accessToken ?? (await token(e.url, await assertion(e.url))).body.access_token;
    const response = await fetch(`${e.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? undefined : JSON.parse(text),
      location: response.headers.get('location'),
    };
  }

  const TOOLING = '/services/data/v62.0/tooling/sobjects/CustomField';
  const upsertPath = (value: string, version = '62.0', field = KEY_FIELD) =>
    `/services/data/v${version}/sobjects/Lead/${field}/${encodeURIComponent(value)}`;

  it('creates a custom field once, hidden from the integration user until field-level security grants it', async () => {
    const e = await start();
    expect((await rest(e, 'POST', TOOLING, keyField, 'not-a-token')).status).toBe(401);
    const noLength = { ...keyField, Metadata: { ...keyField.Metadata, length: undefined } };
    expect(await rest(e, 'POST', TOOLING, noLength)).toMatchObject({
      status: 400,
      body: [{ errorCode: 'FIELD_INTEGRITY_EXCEPTION' }],
    });
    expect(await rest(e, 'POST', TOOLING, { ...keyField, FullName: 'Lead.Bad__Name__c' })).toMatchObject({
      status: 400,
      body: [{ errorCode: 'FIELD_INTEGRITY_EXCEPTION' }],
    });
    const created = await rest(e, 'POST', TOOLING, keyField);
    expect(created).toMatchObject({ status: 201, body: { success: true, errors: [] } });
    expect((created.body as { id: string }).id).toMatch(/^00N\w{15}$/);
    expect(await rest(e, 'POST', TOOLING, keyField)).toMatchObject({
      status: 400,
      body: [{ errorCode: 'DUPLICATE_DEVELOPER_NAME' }],
    });

    const conn = await connect(e);
    const described = async () =>
      (await conn.sobject('Lead').describe()).fields.find((f) => f.name === KEY_FIELD);
    expect(await described()).toBeUndefined();
    expect(await rejection(conn.query(`SELECT Id FROM Lead WHERE ${KEY_FIELD} = 'k'`))).toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    expect(await rest(e, 'PATCH', upsertPath('k'), { LastName: 'D', Company: 'A' })).toMatchObject({
      status: 404,
      body: [{ errorCode: 'NOT_FOUND' }],
    });

    e.org.grantFieldAccess('Lead', KEY_FIELD);
    expect(await described()).toMatchObject({
      type: 'string',
      length: 80,
      custom: true,
      externalId: true,
      unique: true,
      caseSensitive: true,
      idLookup: true,
      createable: true,
      updateable: true,
    });
    const lead = (await conn.sobject('Lead').create({ LastName: 'D', Company: 'A', [KEY_FIELD]: 'k' })) as {
      id: string;
    };
    const found = await conn.query(`SELECT Id FROM Lead WHERE ${KEY_FIELD} = 'k'`);
    expect(found.records.map((r) => r.Id)).toEqual([lead.id]);
    expect(
      await rejection(conn.sobject('Lead').create({ LastName: 'E', Company: 'A', [KEY_FIELD]: 'k' })),
    ).toMatchObject({ errorCode: 'DUPLICATE_VALUE' });
    expect(e.leads()).toHaveLength(1);
  });

  it('upserts: 201 created, then 200 (204 before API 46.0) updating the same record; 404 for a field that is no external id', async () => {
    const e = await start();
    await rest(e, 'POST', TOOLING, keyField);
    e.org.grantFieldAccess('Lead', KEY_FIELD);
    const created = await rest(e, 'PATCH', upsertPath('cmd:lead'), { LastName: 'Doe', Company: 'A' });
    expect(created).toMatchObject({ status: 201, body: { success: true, errors: [], created: true } });
    const id = (created.body as { id: string }).id;
    expect(created.location).toBe(`/services/data/v62.0/sobjects/Lead/${id}`);
    expect(e.leads()[0]?.fields[KEY_FIELD]).toBe('cmd:lead');

    expect(await rest(e, 'PATCH', upsertPath('cmd:lead'), { City: 'Austin' })).toMatchObject({
      status: 200,
      body: { id, success: true, errors: [], created: false },
    });
    expect(await rest(e, 'PATCH', upsertPath('cmd:lead', '45.0'), { City: 'Boston' })).toMatchObject({
      status: 204,
      body: undefined,
    });
    expect(e.leads()).toHaveLength(1);
    expect(e.leads()[0]?.fields).toMatchObject({ LastName: 'Doe', City: 'Boston' });
    // The value is the field's own: another case is another record.
    expect((await rest(e, 'PATCH', upsertPath('CMD:LEAD'), { LastName: 'Roe', Company: 'A' })).status).toBe(
      201,
    );
    expect(await rest(e, 'PATCH', upsertPath('x', '62.0', 'LastName'), { Company: 'A' })).toMatchObject({
      status: 404,
      body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
    });
  });

  it('answers 300 with the matching records when a non-unique external id matches several', async () => {
    const e = await start();
    const loose = {
      FullName: 'Lead.Legacy_Id__c',
      Metadata: { label: 'Legacy Id', type: 'Text', length: 20, externalId: true },
    };
    expect((await rest(e, 'POST', TOOLING, loose)).status).toBe(201);
    e.org.grantFieldAccess('Lead', 'Legacy_Id__c');
    const conn = await connect(e);
    const a = (await conn.sobject('Lead').create({ LastName: 'A', Company: 'x', Legacy_Id__c: 'L1' })) as {
      id: string;
    };
    const b = (await conn.sobject('Lead').create({ LastName: 'B', Company: 'x', Legacy_Id__c: 'l1' })) as {
      id: string;
    };
    expect(await rest(e, 'PATCH', upsertPath('L1', '62.0', 'Legacy_Id__c'), { City: 'Austin' })).toEqual({
      status: 300,
      body: [`/services/data/v62.0/sobjects/Lead/${a.id}`, `/services/data/v62.0/sobjects/Lead/${b.id}`],
      location: null,
    });
    expect(e.leads().map((lead) => lead.fields.City ?? null)).toEqual([null, null]);
  });

  it('upserts inside an all-or-none composite request, @{lead.id} naming the record, and rolls a new one back', async () => {
    const e = await start();
    await rest(e, 'POST', TOOLING, keyField);
    e.org.grantFieldAccess('Lead', KEY_FIELD);
    const composite = (taskStatus: string) => ({
      allOrNone: true,
      compositeRequest: [
        {
          method: 'PATCH',
          url: upsertPath('cmd:lead'),
          referenceId: 'lead',
          body: { LastName: 'Doe', Company: 'A' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Task',
          referenceId: 'task',
          body: { Subject: 'Call back', Status: taskStatus, WhoId: '@{lead.id}' },
        },
      ],
    });
    const refused = await rest(e, 'POST', '/services/data/v62.0/composite', composite('Someday'));
    expect(refused.body).toMatchObject({
      compositeResponse: [
        { referenceId: 'lead', body: [{ errorCode: 'PROCESSING_HALTED' }] },
        { referenceId: 'task', httpStatusCode: 400 },
      ],
    });
    expect([e.leads().length, e.tasks().length]).toEqual([0, 0]);

    const first = await rest(e, 'POST', '/services/data/v62.0/composite', composite('Not Started'));
    expect(first.body).toMatchObject({
      compositeResponse: [
        { referenceId: 'lead', httpStatusCode: 201, body: { created: true } },
        { referenceId: 'task', httpStatusCode: 201 },
      ],
    });
    const again = await rest(e, 'POST', '/services/data/v62.0/composite', composite('Not Started'));
    const leadId = e.leads()[0]?.Id;
    expect(again.body).toMatchObject({
      compositeResponse: [
        { referenceId: 'lead', httpStatusCode: 200, body: { id: leadId, created: false } },
        { referenceId: 'task', httpStatusCode: 201 },
      ],
    });
    expect(e.leads()).toHaveLength(1);
    expect(e.tasks().map((task) => task.fields.WhoId)).toEqual([leadId, leadId]);
  });
});
