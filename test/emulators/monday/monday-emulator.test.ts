import { afterEach, describe, expect, it } from 'vitest';
import { type MondayEmulator, startMondayEmulator } from './emulator.js';

const TOKEN = 'monday-test-token';
let emulator: MondayEmulator | undefined;

interface GraphqlAnswer {
  data?: { create_item?: unknown; items_page_by_column_values?: { items: unknown[] } };
  errors: Array<{
    message: string;
    path?: string[];
    extensions: { code: string; status_code?: number; error_data?: Record<string, unknown> };
  }>;
}

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function post(query: string, variables: Record<string, unknown> = {}, token = TOKEN) {
  emulator ??= await startMondayEmulator({ tokens: [TOKEN] });
  const response = await fetch(emulator.apiUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token, 'api-version': '2026-07' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphqlAnswer };
}

const CREATE = `mutation ($b: ID!, $n: String!, $v: JSON) { create_item(board_id: $b, item_name: $n, column_values: $v) { id } }`;

describe('Monday emulator refuses what Monday refuses', () => {
  it('answers an unknown column id with InvalidColumnIdException inside HTTP 200', async () => {
    const { status, body } = await post(CREATE, { b: '1234567890', n: 'Jane', v: '{"phone_typo":"x"}' });
    expect(status).toBe(200);
    expect(body.data).toEqual({ create_item: null });
    expect(body.errors[0]).toMatchObject({
      path: ['create_item'],
      extensions: {
        code: 'InvalidColumnIdException',
        status_code: 200,
        error_data: { column_id: 'phone_typo' },
      },
    });
    expect(emulator?.items()).toHaveLength(0);
  });

  it('answers an unknown board with InvalidBoardIdException', async () => {
    const { body } = await post(CREATE, { b: '42', n: 'Jane' });
    expect(body.errors[0]?.extensions.code).toBe('InvalidBoardIdException');
  });

  it('refuses a phone without its country, an invalid email and an unknown status label', async () => {
    const phone = await post(CREATE, { b: '1234567890', n: 'J', v: { phone_mkq1: '+15125550143' } });
    const email = await post(CREATE, {
      b: '1234567890',
      n: 'J',
      v: { email_mkq2: { email: 'nope', text: 'x' } },
    });
    const label = await post(CREATE, { b: '1234567890', n: 'J', v: { status: { label: 'Bogus' } } });
    for (const { body } of [phone, email, label]) {
      expect(body.errors[0]?.extensions.code).toBe('ColumnValueException');
    }
    expect(emulator?.items()).toHaveLength(0);
  });

  it('refuses computed columns and over-long item names', async () => {
    const computed = await post(CREATE, { b: '1234567890', n: 'J', v: { item_id_mkq8: '1' } });
    const long = await post(CREATE, { b: '1234567890', n: 'x'.repeat(256) });
    expect(computed.body.errors[0]?.extensions.code).toBe('ColumnValueException');
    expect(long.body.errors[0]?.extensions.code).toBe('ItemNameTooLongException');
  });

  it('validates documents and variables against the schema', async () => {
    const unknownField = await post('query { boards(ids: [1]) { colums { id } } }');
    const missingVariable = await post(CREATE, { n: 'Jane' });
    const syntax = await post('mutation { create_item(board_id: 1 item_name: "x" { id } }');
    expect(unknownField.body.errors[0]?.message).toContain('colums');
    expect(missingVariable.body.errors[0]?.message).toContain('$b');
    expect(syntax.body.errors[0]?.message).toMatch(/Syntax Error/);
    expect(emulator?.items()).toHaveLength(0);
  });

  it('answers 401 to a token it does not know', async () => {
    const { status } = await post('query { me { id } }', {}, 'Bearer monday-test-token');
    expect(status).toBe(401);
  });

  it('finds created items by column value, a phone by its digits too', async () => {
    await post(CREATE, {
      b: '1234567890',
      n: 'Jane',
      v: JSON.stringify({ phone_mkq1: { phone: '+15125550143', countryShortName: 'US' } }),
    });
    const search = `query ($b: ID!, $c: String!, $v: [String]!) {
      items_page_by_column_values(limit: 50, board_id: $b, columns: [{column_id: $c, column_values: $v}]) { items { id name } }
    }`;
    const byDigits = await post(search, { b: '1234567890', c: 'phone_mkq1', v: ['15125550143'] });
    const other = await post(search, { b: '1234567890', c: 'phone_mkq1', v: ['12125551234'] });
    expect(byDigits.body.data?.items_page_by_column_values?.items).toEqual([
      { id: expect.any(String), name: 'Jane' },
    ]);
    expect(other.body.data?.items_page_by_column_values?.items).toEqual([]);
  });
});

describe('Monday emulator: updates on items', () => {
  const UPDATE = `mutation ($i: ID!, $body: String!) { create_update(item_id: $i, body: $body) { id item_id } }`;

  it('posts an update on an existing item and refuses one on an unknown item or with an empty body', async () => {
    const created = await post(CREATE, { b: '1234567890', n: 'Jane' });
    const itemId = String((created.body.data?.create_item as { id?: string } | undefined)?.id);
    const posted = await post(UPDATE, { i: itemId, body: '<p>Inbound call</p>' });
    expect(posted.body.errors).toBeUndefined();
    expect(emulator?.updates(itemId).map((update) => update.body)).toEqual(['<p>Inbound call</p>']);

    const unknown = await post(UPDATE, { i: '42', body: '<p>x</p>' });
    expect(unknown.body.errors[0]?.extensions.code).toBe('InvalidItemIdException');
    const empty = await post(UPDATE, { i: itemId, body: ' ' });
    expect(empty.body.errors[0]?.extensions.code).toBe('InvalidArgumentException');
    const unbodied = await post(`mutation ($i: ID!) { create_update(item_id: $i) { id } }`, { i: itemId });
    expect(unbodied.body.errors[0]?.message).toContain('body');
  });

  it("lists an item's updates newest first, with their creation dates", async () => {
    const created = await post(CREATE, { b: '1234567890', n: 'Jane' });
    const itemId = String((created.body.data?.create_item as { id?: string } | undefined)?.id);
    await post(UPDATE, { i: itemId, body: '<p>First call</p>' });
    await post(UPDATE, { i: itemId, body: '<p>Second call</p>' });
    const listed = await post(
      `query ($i: [ID!]) { items(ids: $i) { updates(limit: 10) { id body created_at } } }`,
      {
        i: [itemId],
      },
    );
    const items = (listed.body.data as { items?: Array<{ updates: Array<Record<string, unknown>> }> }).items;
    expect(items?.[0]?.updates.map((update) => update.body)).toEqual([
      '<p>Second call</p>',
      '<p>First call</p>',
    ]);
    expect(items?.[0]?.updates[0]?.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });
});

describe("Monday emulator: a board's items read directly", () => {
  it('lists items newest first by creation as soon as they are made, unlike the column search', async () => {
    emulator = await startMondayEmulator({ tokens: [TOKEN], searchLagMs: 60_000 });
    await post(CREATE, { b: '1234567890', n: 'Jane' });
    await post(CREATE, { b: '1234567890', n: 'John' });
    const page = await post(
      `query ($b: [ID!]) { boards(ids: $b) { items_page(limit: 10, query_params: {order_by: [{column_id: "__creation_log__", direction: desc}]}) { items { name created_at } } } }`,
      { b: ['1234567890'] },
    );
    const boards = (page.body.data as { boards?: Array<{ items_page: { items: unknown[] } }> }).boards;
    expect(boards?.[0]?.items_page.items).toEqual([
      { name: 'John', created_at: expect.stringMatching(/Z$/) },
      { name: 'Jane', created_at: expect.stringMatching(/Z$/) },
    ]);
    const tooMany = await post(
      `query ($b: [ID!]) { boards(ids: $b) { items_page(limit: 501) { items { id } } } }`,
      {
        b: ['1234567890'],
      },
    );
    expect(tooMany.body.errors[0]?.extensions.code).toBe('InvalidArgumentException');
  });
});
