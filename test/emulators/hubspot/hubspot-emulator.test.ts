import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/deals/index.js';
import {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_TOKEN,
  type HubSpotEmulator,
  type HubSpotEmulatorOptions,
  startHubSpotEmulator,
} from './emulator.js';
import { defineGuideProperties } from './guide-properties.js';

interface Rejection {
  code: number;
  body: { message?: string; category?: string; errors?: Array<{ code: string }> };
  headers: Record<string, string>;
}

async function rejection(promise: Promise<unknown>): Promise<Rejection> {
  try {
    await promise;
  } catch (error) {
    return error as Rejection;
  }
  throw new Error('expected the call to fail');
}

let emulator: HubSpotEmulator | undefined;

async function start(
  options: HubSpotEmulatorOptions = {},
): Promise<{ emulator: HubSpotEmulator; client: Client }> {
  emulator = await startHubSpotEmulator(options);
  const client = new Client({
    accessToken: DEFAULT_TOKEN,
    basePath: emulator.url,
    numberOfApiCallRetries: 0,
  });
  return { emulator, client };
}

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const byPhone = (phone: string) => ({
  filterGroups: [{ filters: [{ propertyName: 'phone', operator: FilterOperatorEnum.Eq, value: phone }] }],
  properties: ['phone', 'firstname'],
  limit: 10,
});

describe('HubSpot emulator, driven by the official SDK', () => {
  it('finds a created contact by search only once the index has caught up', async () => {
    let now = 1_700_000_000_000;
    const { emulator, client } = await start({ searchLagMs: 5_000, now: () => now });
    const created = await client.crm.contacts.basicApi.create({
      properties: { phone: '+15551234567', firstname: 'Jane', email: 'Jane@Example.com' },
      associations: [],
    });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.properties.email).toBe('jane@example.com');

    expect((await client.crm.contacts.searchApi.doSearch(byPhone('+15551234567'))).total).toBe(0);
    now += 5_000;
    const found = await client.crm.contacts.searchApi.doSearch(byPhone('+15551234567'));
    expect(found.results.map((r) => [r.id, r.properties.firstname])).toEqual([[created.id, 'Jane']]);
    expect(emulator.contacts()).toHaveLength(1);
  });

  it('refuses a wrong token with 401 INVALID_AUTHENTICATION and a revoked one as expired', async () => {
    const { emulator } = await start();
    const stranger = new Client({ accessToken: 'pat-na1-wrong', basePath: emulator.url });
    const wrong = await rejection(stranger.crm.contacts.basicApi.getPage());
    expect(wrong.code).toBe(401);
    expect(wrong.body.category).toBe('INVALID_AUTHENTICATION');
    expect(wrong.body.message).toMatch(/^Authentication credentials not found/);

    emulator.revokeToken(DEFAULT_TOKEN);
    const client = new Client({ accessToken: DEFAULT_TOKEN, basePath: emulator.url });
    const expired = await rejection(client.crm.contacts.basicApi.create({ properties: { phone: '1' } }));
    expect(expired.code).toBe(401);
    expect(expired.body.category).toBe('EXPIRED_AUTHENTICATION');
  });

  it('rejects a property the portal does not define, and accepts it once defined', async () => {
    const { emulator, client } = await start();
    const missing = await rejection(
      client.crm.contacts.basicApi.create({ properties: { phone: '1', lead_source: 'google' } }),
    );
    expect(missing.code).toBe(400);
    expect(missing.body.category).toBe('VALIDATION_ERROR');
    expect(missing.body.errors?.map((e) => e.code)).toEqual(['PROPERTY_DOESNT_EXIST']);
    expect(missing.body.message).toContain('Property \\"lead_source\\" does not exist');
    expect(emulator.contacts()).toHaveLength(0);

    await client.crm.properties.coreApi.create('contacts', {
      name: 'lead_source',
      label: 'Lead source',
      type: PropertyCreateTypeEnum.String,
      fieldType: PropertyCreateFieldTypeEnum.Text,
      groupName: 'contactinformation',
    });
    await client.crm.contacts.basicApi.create({ properties: { phone: '1', lead_source: 'google' } });
    expect(emulator.contacts()[0]?.properties.lead_source).toBe('google');
  });

  it('checks values against the property type', async () => {
    const { emulator, client } = await start();
    defineGuideProperties(emulator.portal());
    const wrong = await rejection(
      client.crm.contacts.basicApi.create({
        properties: { ai_lead_score: 'high', ai_timeline: 'someday', hs_lead_status: 'NEW' },
      }),
    );
    expect(wrong.code).toBe(400);
    expect(wrong.body.errors?.map((e) => e.code)).toEqual(['INVALID_INTEGER', 'INVALID_OPTION']);
  });

  it('answers a second contact with the same email (any case) with 409 naming the existing id', async () => {
    const { emulator, client } = await start();
    const first = await client.crm.contacts.basicApi.create({ properties: { email: 'ann@example.com' } });
    const conflict = await rejection(
      client.crm.contacts.basicApi.create({ properties: { email: 'ANN@example.com' } }),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.body.category).toBe('CONFLICT');
    expect(conflict.body.message).toBe(`Contact already exists. Existing ID: ${first.id}`);
    expect(emulator.contacts()).toHaveLength(1);
  });

  it('answers 429 with the ten-secondly policy once the window is full', async () => {
    const { emulator, client } = await start({ rateLimits: { max: 3 } });
    for (let i = 0; i < 3; i += 1)
      await client.crm.contacts.basicApi.create({ properties: { phone: `${i}` } });
    const limited = await rejection(client.crm.contacts.basicApi.create({ properties: { phone: 'x' } }));
    expect(limited.code).toBe(429);
    expect(limited.body.message).toBe('You have reached your ten_secondly_rolling limit.');
    expect(limited.headers['x-hubspot-ratelimit-max']).toBe('3');
    expect(limited.headers['x-hubspot-ratelimit-remaining']).toBe('0');
    expect(limited.headers['x-hubspot-ratelimit-interval-milliseconds']).toBe('10000');
    expect(emulator.contacts()).toHaveLength(3);
  });

  it('limits search to 4 requests a second per token', async () => {
    const { client } = await start();
    for (let i = 0; i < 4; i += 1) await client.crm.contacts.searchApi.doSearch(byPhone('1'));
    const limited = await rejection(client.crm.contacts.searchApi.doSearch(byPhone('1')));
    expect(limited.code).toBe(429);
    expect(limited.body.message).toBe('You have reached your secondly limit.');
  });

  it('upserts by email in batches of at most 100, and only on a unique property', async () => {
    const { emulator, client } = await start();
    const existing = await client.crm.contacts.basicApi.create({
      properties: { email: 'a@x.io', firstname: 'A' },
    });
    const result = await client.crm.contacts.batchApi.upsert({
      inputs: [
        { id: 'A@x.io', idProperty: 'email', properties: { firstname: 'Ann' } },
        { id: 'b@x.io', idProperty: 'email', properties: { firstname: 'Bob' } },
      ],
    });
    expect(result.results.map((r) => [r.id === existing.id, r._new])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(emulator.contacts().map((c) => c.properties.firstname)).toEqual(['Ann', 'Bob']);

    const tooMany = await rejection(
      client.crm.contacts.batchApi.upsert({
        inputs: Array.from({ length: 101 }, (_, i) => ({
          id: `${i}@x.io`,
          idProperty: 'email',
          properties: {},
        })),
      }),
    );
    expect(tooMany.code).toBe(400);
    const byPhoneUpsert = await rejection(
      client.crm.contacts.batchApi.upsert({ inputs: [{ id: '+1555', idProperty: 'phone', properties: {} }] }),
    );
    expect(byPhoneUpsert.code).toBe(400);
    expect(emulator.contacts()).toHaveLength(2);
  });

  it('upserts deals by a custom unique property: one deal per key, found by search and list', async () => {
    const { emulator, client } = await start();
    const uniqueKey = {
      name: 'order_key',
      label: 'Order key',
      type: PropertyCreateTypeEnum.String,
      fieldType: PropertyCreateFieldTypeEnum.Text,
      groupName: 'dealinformation',
      hasUniqueValue: true,
    };
    await client.crm.properties.coreApi.create('deals', uniqueKey);
    const upsert = (dealname: string) =>
      client.crm.deals.batchApi.upsert({
        inputs: [{ id: 'k-1', idProperty: 'order_key', properties: { dealname } }],
      });
    const first = await upsert('Kitchen');
    const second = await upsert('Kitchen remodel');
    expect(first).toMatchObject({ status: 'COMPLETE', results: [{ _new: true }] });
    expect(second.results.map((r) => [r.id, r._new])).toEqual([[first.results[0]?.id, false]]);
    expect(emulator.deals().map((d) => d.properties)).toEqual([
      expect.objectContaining({ order_key: 'k-1', dealname: 'Kitchen remodel', pipeline: 'default' }),
    ]);
    const found = await client.crm.deals.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'order_key', operator: FilterOperatorEnum.Eq, value: 'k-1' }] },
      ],
    });
    expect(found.results.map((d) => d.id)).toEqual([first.results[0]?.id]);
    const listed = await client.crm.deals.basicApi.getPage(10, undefined, ['order_key']);
    expect(listed.results.map((d) => d.properties.order_key)).toEqual(['k-1']);

    const byName = await rejection(
      client.crm.deals.batchApi.upsert({
        inputs: [{ id: 'Kitchen', idProperty: 'dealname', properties: {} }],
      }),
    );
    expect([byName.code, byName.body.category]).toEqual([400, 'VALIDATION_ERROR']);
    for (const objectType of ['tasks', 'calls']) {
      const refused = await rejection(
        client.crm.properties.coreApi.create(objectType, {
          ...uniqueKey,
          groupName: `${objectType.slice(0, -1)}information`,
        }),
      );
      expect([refused.code, refused.body.message]).toEqual([
        400,
        `Properties on ${objectType} cannot require unique values.`,
      ]);
    }
    expect(emulator.deals()).toHaveLength(1);
  });

  it('rejects more than 5 filter groups', async () => {
    const { client } = await start();
    const groups = Array.from({ length: 6 }, (_, i) => ({
      filters: [{ propertyName: 'phone', operator: FilterOperatorEnum.Eq, value: `${i}` }],
    }));
    const refused = await rejection(client.crm.contacts.searchApi.doSearch({ filterGroups: groups }));
    expect(refused.code).toBe(400);
  });

  it('creates deals in a known pipeline stage, associated with the contact both ways', async () => {
    const { emulator, client } = await start();
    const contact = await client.crm.contacts.basicApi.create({ properties: { phone: '1' } });
    const association = {
      to: { id: contact.id },
      types: [
        { associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 3 },
      ],
    };
    const badStage = await rejection(
      client.crm.deals.basicApi.create({
        properties: { dealname: 'x', pipeline: 'default', dealstage: 'nope' },
        associations: [association],
      }),
    );
    expect(badStage.body.errors?.map((e) => e.code)).toEqual(['INVALID_OPTION']);
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: 'Kitchen', pipeline: 'default', dealstage: 'qualifiedtobuy' },
      associations: [association],
    });
    expect(emulator.deals()).toHaveLength(1);
    expect(emulator.deals()[0]?.associations).toEqual([
      { toObjectType: 'contacts', toObjectId: contact.id, associationTypeId: 3 },
    ]);
    expect(emulator.contacts()[0]?.associations).toEqual([
      { toObjectType: 'deals', toObjectId: deal.id, associationTypeId: 4 },
    ]);
  });

  it('requires hs_timestamp on tasks and finds owners by email', async () => {
    const { emulator, client } = await start({
      portals: [{ token: DEFAULT_TOKEN, owners: [{ email: 'owner@company.com', id: '77' }] }],
    });
    const missing = await rejection(
      client.crm.objects.tasks.basicApi.create({ properties: { hs_task_subject: 'x' } }),
    );
    expect(missing.code).toBe(400);
    const owners = await client.crm.owners.ownersApi.getPage('Owner@Company.com');
    expect(owners.results.map((o) => o.id)).toEqual(['77']);
    expect(emulator.requestsTo('GET', '/crm/v3/owners')).toHaveLength(0);
    expect(emulator.requestsTo('GET', /^\/crm\/v3\/owners\/?$/)).toHaveLength(1);
  });

  it('fails on demand with 5xx, then recovers', async () => {
    const { emulator, client } = await start();
    emulator.failNext(1, 503);
    const failed = await rejection(client.crm.contacts.basicApi.create({ properties: { phone: '1' } }));
    expect(failed.code).toBe(503);
    expect(emulator.contacts()).toHaveLength(0);
    await client.crm.contacts.basicApi.create({ properties: { phone: '1' } });
    expect(emulator.contacts()).toHaveLength(1);
    expect(emulator.requestsTo('POST', '/crm/v3/objects/contacts').map((r) => r.status)).toEqual([503, 201]);
  });
});

describe('HubSpot emulator: calls', () => {
  const engagement = (properties: Record<string, string>, associations: unknown[] = []) => ({
    properties,
    associations: associations as never,
  });
  const toContact = (id: string, associationTypeId = 194) => ({
    to: { id },
    types: [
      { associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId },
    ],
  });

  it('creates a call associated to a contact both ways, and refuses one without hs_timestamp', async () => {
    const { emulator, client } = await start();
    const contact = await client.crm.contacts.basicApi.create({ properties: { phone: '+15125550143' } });
    const created = await client.crm.objects.calls.basicApi.create(
      engagement({ hs_timestamp: '2026-11-24T17:20:00Z', hs_call_direction: 'INBOUND' }, [
        toContact(contact.id),
      ]),
    );
    expect(emulator.portal().contacts()[0]?.associations).toContainEqual({
      toObjectType: 'calls',
      toObjectId: created.id,
      associationTypeId: 193,
    });
    const untimed = await rejection(
      client.crm.objects.calls.basicApi.create(engagement({ hs_call_direction: 'INBOUND' })),
    );
    expect([untimed.code, untimed.body.message]).toEqual([
      400,
      'Property values were not valid: hs_timestamp is required',
    ]);
  });

  it('refuses a call with an unknown status, a recording that is not https, or a contact that does not exist', async () => {
    const { client } = await start();
    const at = { hs_timestamp: '2026-11-24T17:20:00Z' };
    const status = await rejection(
      client.crm.objects.calls.basicApi.create(engagement({ ...at, hs_call_status: 'ANSWERED' })),
    );
    expect(status.code).toBe(400);
    const recording = await rejection(
      client.crm.objects.calls.basicApi.create(
        engagement({ ...at, hs_call_recording_url: 'http://app.callrail.com/r.mp3' }),
      ),
    );
    expect(recording.body.message).toContain('hs_call_recording_url must be an https URL');
    const missing = await rejection(
      client.crm.objects.calls.basicApi.create(engagement(at, [toContact('999999')])),
    );
    expect([missing.code, missing.body.message]).toEqual([400, 'One or more associations are invalid']);
    const wrongType = await rejection(
      client.crm.objects.calls.basicApi.create(engagement(at, [toContact('1001', 204)])),
    );
    expect(wrongType.body.message).toContain('association type 204 is not valid from calls');
  });
});
