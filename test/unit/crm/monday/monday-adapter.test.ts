import { describe, expect, it } from 'vitest';
import { createdStrings, durableStrings } from '../../../../src/crm/created-records.js';
import { MondayAdapter } from '../../../../src/crm/monday/monday-adapter.js';
import { RecentIds } from '../../../../src/crm/recent-ids.js';
import { buildCrmCommand } from '../../../../src/mapping/build-command.js';
import { fixedClock } from '../../../../src/time/clock.js';
import { configuredFor } from '../../../support/configured-context.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { failureOf } from '../../../support/failure-of.js';
import { guideEnrichedCall } from '../../../support/guide-fixtures.js';
import { MemoryRecordLedger } from '../../../support/memory-record-ledger.js';
import { BOARD, command, type Harness, itemOperation, startHarness } from './adapter-harness.js';

const start = harnessPerTest(startHarness);

/** An item a salesperson typed in before leadstream ran. */
function existingItem(h: Harness, columnValues: Record<string, unknown>) {
  return h.emulator.account.createItem({
    boardId: BOARD,
    groupId: 'topics',
    name: 'Jane (typed in)',
    columnValues: JSON.stringify(columnValues),
    createLabels: false,
  });
}

describe('MondayAdapter: items', () => {
  it('creates the item of a new caller in the configured group, each column in its type’s format', async () => {
    const h = await start();
    const result = await h.adapter.execute(command('c1', [itemOperation()]), h.context);
    const [item] = h.emulator.items();
    expect(result.outcomes).toEqual([{ ref: 'item', object_type: 'items', id: item?.id, action: 'created' }]);
    expect(item?.name).toBe('Jane Doe');
    expect(item?.groupId).toBe('topics');
    expect(Object.fromEntries(item?.values ?? [])).toEqual({
      phone_mkq1: { value: { phone: '+15125550143', countryShortName: 'US' }, text: '+15125550143' },
      text_mkq4: { value: 'Los Angeles', text: 'Los Angeles' },
      numeric_mkq3: { value: '92', text: '92' },
      status: { value: { label: 'New Lead' }, text: 'New Lead' },
    });
  });

  it('sends values only as GraphQL variables, with the token and the configured API version', async () => {
    const h = await start({ crmConfig: { api_version: '2026-04' } });
    await h.adapter.execute(command('c1', [itemOperation({ item_name: 'O"Brien } mutation {' })]), h.context);
    const [create] = h.emulator.requestsFor('create_item');
    expect(create?.query).not.toContain('Brien');
    expect(create?.query).not.toContain('5550143');
    expect(create?.variables).toMatchObject({ board: BOARD, group: 'topics', name: 'O"Brien } mutation {' });
    expect(h.emulator.items()[0]?.name).toBe('O"Brien } mutation {');
    expect(h.emulator.requests.every((r) => r.apiVersion === '2026-04')).toBe(true);
  });

  it('updates the item of a returning caller found by the phone column instead of adding one', async () => {
    const h = await start();
    const existing = existingItem(h, { phone_mkq1: { phone: '+15125550143', countryShortName: 'US' } });
    const result = await h.adapter.execute(
      command('c2', [itemOperation({ columns: { Phone: '+15125550143', City: 'Pasadena' } })]),
      h.context,
    );
    expect(result.outcomes[0]).toMatchObject({ id: existing.id, action: 'updated' });
    expect(h.emulator.items()).toHaveLength(1);
    expect(h.emulator.items()[0]?.values.get('text_mkq4')?.text).toBe('Pasadena');
    expect(h.emulator.requestsFor('change_multiple_column_values')).toHaveLength(1);
  });

  it('finds a returning caller whose number was typed in on the board without its country code', async () => {
    const h = await start();
    const existing = existingItem(h, { phone_mkq1: { phone: '5125550143', countryShortName: 'US' } });
    const result = await h.adapter.execute(command('c2b', [itemOperation()]), h.context);
    expect(result.outcomes[0]).toMatchObject({ id: existing.id, action: 'updated' });
    expect(h.emulator.items()).toHaveLength(1);
  });

  it('finds a returning caller by the email column when that is the match column', async () => {
    const h = await start();
    const existing = existingItem(h, { email_mkq2: { email: 'jane@example.com', text: 'jane@example.com' } });
    const result = await h.adapter.execute(
      command('c3', [
        itemOperation({
          columns: { Email: 'jane@example.com', City: 'Pasadena' },
          match_column: 'Email',
          match_value: 'jane@example.com',
        }),
      ]),
      h.context,
    );
    expect(result.outcomes[0]).toMatchObject({ id: existing.id, action: 'updated' });
    expect(h.emulator.items()).toHaveLength(1);
  });

  it('gives two calls from one number in quick succession one item, though search has not caught up', async () => {
    const h = await start({ emulator: { searchLagMs: 60_000 } });
    const first = await h.adapter.execute(command('c4', [itemOperation()]), h.context);
    const second = await h.adapter.execute(
      command('c5', [itemOperation({ columns: { Phone: '+15125550143', City: 'Austin' } })]),
      h.context,
    );
    expect(h.emulator.items()).toHaveLength(1);
    expect(second.outcomes[0]).toMatchObject({ id: first.outcomes[0]?.id, action: 'updated' });
    expect(h.emulator.items()[0]?.values.get('text_mkq4')?.text).toBe('Austin');
  });

  it("gives the caller's next call one item when it reaches another delivery process before search catches up", async () => {
    const h = await start({ emulator: { searchLagMs: 60_000 } });
    // Two delivery processes, as before and after a rebalance, sharing the delivery ledger.
    const ledger = new MemoryRecordLedger();
    const processOn = () =>
      new MondayAdapter({ recentItems: new RecentIds({ ledger: durableStrings(ledger) }) });
    const first = await processOn().execute(command('c5b', [itemOperation()]), h.context);
    const second = await processOn().execute(
      command('c5c', [itemOperation({ columns: { Phone: '+15125550143', City: 'Austin' } })]),
      h.context,
    );
    expect(h.emulator.items()).toHaveLength(1);
    expect(second.outcomes[0]).toMatchObject({ id: first.outcomes[0]?.id, action: 'updated' });
  });

  it('does not create a second item when a command is delivered again, even without duplicate detection', async () => {
    const h = await start();
    const once = command('c6', [itemOperation({ match_column: null, match_value: null })], null);
    const first = await h.adapter.execute(once, h.context);
    const again = await h.adapter.execute(once, h.context);
    expect(h.emulator.items()).toHaveLength(1);
    expect(again.outcomes[0]).toMatchObject({ id: first.outcomes[0]?.id, action: 'updated' });
  });

  it('does not create a second item when another process redelivers the command, sharing only the ledger', async () => {
    const ledger = new MemoryRecordLedger();
    const process = () =>
      new MondayAdapter({
        createdRecords: createdStrings(ledger),
      });
    const h = await start({ emulator: { searchLagMs: 60_000 } });
    const withoutDetection = command('c6b', [itemOperation({ match_column: null, match_value: null })], null);
    const byPhone = command('c6c', [itemOperation({ item_name: 'John Roe', match_value: '+15125550199' })]);

    const firstItems = [];
    for (const delivery of [withoutDetection, byPhone]) {
      firstItems.push((await process().execute(delivery, h.context)).outcomes[0]?.id);
      // Written under the command, so delivery's settle() makes it durable before the offset commits.
      expect(ledger.pendingWrites(delivery.tenant_id, delivery.idempotency_key)).toBe(1);
    }
    // The first process died before committing: each command comes again to a process of its own.
    const again = [];
    for (const delivery of [withoutDetection, byPhone]) {
      again.push((await process().execute(delivery, h.context)).outcomes[0]);
    }

    expect(h.emulator.items()).toHaveLength(2);
    expect(again).toEqual(
      firstItems.map((id) => ({ ref: 'item', object_type: 'items', id, action: 'updated' })),
    );
  });

  it('leaves a returning caller’s item alone when the duplicate action is skip', async () => {
    const h = await start();
    const existing = existingItem(h, { phone_mkq1: { phone: '+15125550143', countryShortName: 'US' } });
    const result = await h.adapter.execute(
      command('c7', [itemOperation()], { match_fields: ['phone'], match_strategy: 'exact', action: 'skip' }),
      h.context,
    );
    expect(result.outcomes[0]).toEqual({
      ref: 'item',
      object_type: 'items',
      id: existing.id,
      action: 'skipped',
    });
    expect(h.emulator.requestsFor('change_multiple_column_values')).toHaveLength(0);
  });

  it('reports workflow actions as left to the board’s automations', async () => {
    const h = await start();
    const workflow = {
      ref: 'workflow_notify_sales',
      kind: 'workflow_action' as const,
      object_type: 'items',
      payload_json: '{}',
      link_to: 'item',
      action: 'notify_sales',
    };
    const result = await h.adapter.execute(command('c8', [itemOperation(), workflow]), h.context);
    expect(result.outcomes[1]).toEqual({
      ref: 'workflow_notify_sales',
      object_type: 'items',
      id: result.outcomes[0]?.id,
      action: 'skipped',
    });
  });

  it('delivers what the mapper builds from a tenant’s Monday configuration', async () => {
    const h = await start();
    const tenant = h.tenant({
      group_id: 'new_group_hot',
      item_name_template: '{{customer_name}} - {{ai_analysis.project_type}}',
      column_mappings: {
        Phone: 'customer_phone',
        City: 'customer_city',
        'Lead Score': 'ai_analysis.lead_score',
      },
      duplicate_detection: { enabled: true, match_fields: ['phone'] },
    });
    const built = buildCrmCommand(guideEnrichedCall(), tenant, fixedClock('2026-11-25T17:20:00.000Z'));
    const result = await h.adapter.execute(built, configuredFor('monday', { ...h.context, tenant }));
    const [item] = h.emulator.items();
    expect(result.outcomes[0]).toMatchObject({ id: item?.id, action: 'created' });
    expect(item?.groupId).toBe('new_group_hot');
    expect(item?.values.get('phone_mkq1')?.value).toEqual({ phone: '+15125550143', countryShortName: 'US' });
    expect(item?.values.get('numeric_mkq3')?.text).toBe('92');
  });
});

describe('MondayAdapter: columns', () => {
  it('fails permanently, naming the title, when the board has no such column, and sends no write', async () => {
    const h = await start();
    const error = await failureOf(
      h.adapter.execute(command('c9', [itemOperation({ columns: { 'AI Summary': 'x' } })]), h.context),
    );
    expect(error.type).toBe('crm_not_found');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('"AI Summary"');
    expect(h.emulator.requestsFor('create_item')).toHaveLength(0);
  });

  it('reads the board’s columns once, and again when a title is new to the cache', async () => {
    const h = await start();
    await h.adapter.execute(command('c10', [itemOperation()]), h.context);
    await h.adapter.execute(
      command('c11', [itemOperation({ columns: { Phone: '+12125551234' }, match_value: '+12125551234' })]),
      h.context,
    );
    expect(h.emulator.requestsFor('boards')).toHaveLength(1);
    h.emulator.account.addColumn(BOARD, { id: 'text_new', title: 'AI Summary', type: 'text' });
    await h.adapter.execute(
      command('c12', [itemOperation({ columns: { 'AI Summary': 'Wants a kitchen' } })]),
      h.context,
    );
    expect(h.emulator.requestsFor('boards')).toHaveLength(2);
    expect(h.emulator.items()[0]?.values.get('text_new')?.text).toBe('Wants a kitchen');
  });

  it('re-reads the columns and succeeds when a cached column was deleted and re-added under a new id', async () => {
    const h = await start();
    await h.adapter.execute(command('c13', [itemOperation()]), h.context);
    h.emulator.account.removeColumn(BOARD, 'text_mkq4');
    h.emulator.account.addColumn(BOARD, { id: 'text_city2', title: 'City', type: 'text' });
    const result = await h.adapter.execute(
      command('c14', [
        itemOperation({ columns: { Phone: '+12125551234', City: 'Austin' }, match_value: '+12125551234' }),
      ]),
      h.context,
    );
    expect(result.outcomes[0]?.action).toBe('created');
    expect(h.emulator.items()[1]?.values.get('text_city2')?.text).toBe('Austin');
  });

  it('refuses a value of the wrong type before sending it, naming the column', async () => {
    const h = await start();
    const error = await failureOf(
      h.adapter.execute(command('c15', [itemOperation({ columns: { 'Lead Score': 'high' } })]), h.context),
    );
    expect(error.type).toBe('field_mapping_error');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('"Lead Score"');
    expect(h.emulator.requestsFor('create_item')).toHaveLength(0);
  });

  it('passes on Monday’s ColumnValueException as a permanent mapping error with the column id', async () => {
    const h = await start();
    const error = await failureOf(
      h.adapter.execute(command('c16', [itemOperation({ columns: { Email: 'not an address' } })]), h.context),
    );
    expect(error.type).toBe('field_mapping_error');
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({ error_code: 'ColumnValueException', column_id: 'email_mkq2' });
  });

  it('adds a status label the board does not have yet, as create_labels_if_missing asks', async () => {
    const h = await start();
    await h.adapter.execute(command('c17', [itemOperation({ columns: { Status: 'Hot Lead' } })]), h.context);
    expect(h.emulator.items()[0]?.values.get('status')?.text).toBe('Hot Lead');
  });

  it('fails permanently when the board does not exist', async () => {
    const h = await start({ crmConfig: { board_id: '999' } });
    const error = await failureOf(
      h.adapter.execute(command('c18', [itemOperation({ board_id: '999' })]), h.context),
    );
    expect(error.type).toBe('crm_not_found');
    expect(error.message).toContain('board 999');
  });
});

describe('MondayAdapter: failures', () => {
  it('fails permanently on a token Monday does not accept', async () => {
    const h = await start({ emulator: { tokens: ['another-token'] } });
    const error = await failureOf(h.adapter.execute(command('c19', [itemOperation()]), h.context));
    expect(error.type).toBe('crm_auth_error');
    expect(error.retryable).toBe(false);
    expect(error.message).not.toContain('monday-personal-token');
  });

  it('retries after the seconds a ComplexityException inside a 200 answer names, then succeeds', async () => {
    const h = await start();
    h.emulator.complexityExhaustedNext(1, 7);
    const error = await failureOf(h.adapter.execute(command('c20', [itemOperation()]), h.context));
    expect(error).toMatchObject({ type: 'crm_rate_limited', retryable: true, retryAfterMs: 7_000 });
    const result = await h.adapter.execute(command('c20', [itemOperation()]), h.context);
    expect(result.outcomes[0]?.action).toBe('created');
    expect(h.emulator.items()).toHaveLength(1);
  });

  it('honours Retry-After on a 429', async () => {
    const h = await start();
    h.emulator.rateLimitNext(1, 12);
    const error = await failureOf(h.adapter.execute(command('c21', [itemOperation()]), h.context));
    expect(error).toMatchObject({ type: 'crm_rate_limited', retryable: true, retryAfterMs: 12_000 });
  });

  it('treats a 500 and an HTML 502 as retryable', async () => {
    const h = await start();
    h.emulator.failNext(1, 500);
    h.emulator.failNext(1, 502);
    expect(await failureOf(h.adapter.execute(command('c22', [itemOperation()]), h.context))).toMatchObject({
      type: 'crm_unavailable',
      retryable: true,
    });
    expect(await failureOf(h.adapter.execute(command('c22', [itemOperation()]), h.context))).toMatchObject({
      type: 'crm_unavailable',
      retryable: true,
    });
    await h.adapter.execute(command('c22', [itemOperation()]), h.context);
    expect(h.emulator.items()).toHaveLength(1);
  });

  it('keeps within the request limit under steady load, so Monday never answers 429', async () => {
    const h = await start({
      emulator: { requestLimit: { requests: 10, perMs: 1_000 } },
      adapter: { rateLimit: { requests: 5, perMs: 1_000 } },
    });
    const phones = [
      '+12125551234',
      '+12125551235',
      '+12125551236',
      '+12125551237',
      '+12125551238',
      '+12125551239',
    ];
    for (const [index, phone] of phones.entries()) {
      await h.adapter.execute(
        command(`s${index}`, [itemOperation({ columns: { Phone: phone }, match_value: phone })]),
        h.context,
      );
    }
    expect(h.emulator.requests.length).toBeGreaterThan(10);
    expect(h.emulator.requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(h.emulator.items()).toHaveLength(6);
  });

  it('says Monday could not be reached when nothing listens', async () => {
    const h = await start();
    await h.emulator.stop();
    const error = await failureOf(h.adapter.execute(command('c23', [itemOperation()]), h.context));
    expect(error).toMatchObject({ type: 'crm_unavailable', retryable: true });
  });
});
