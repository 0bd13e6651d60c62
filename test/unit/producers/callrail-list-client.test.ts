import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import { CallRailListClient } from '../../../src/producers/callrail-backfill/callrail-list-client.js';
import { type CallRailApi, startCallRailApi } from '../../emulators/callrail/calls-api.js';
import { emulatorOutbound } from '../../support/emulator-outbound.js';

const ACCOUNT = 'ACC100';
const KEY = 'list-key';
const WINDOW = { since: '2026-11-01T00:00:00.000Z', until: '2026-11-30T23:59:59.000Z' };
const FAST = { baseMs: 1, maxMs: 2 };

describe('CallRail list client', () => {
  let api: CallRailApi;

  beforeAll(async () => {
    api = await startCallRailApi({
      accountId: ACCOUNT,
      apiKey: KEY,
      calls: Array.from({ length: 7 }, (_, i) => ({
        id: `CAL${i + 1}`,
        answered: true,
        duration: 30,
        customer_phone_number: '+15551230000',
        start_time: `2026-11-0${i + 1}T10:00:00.000Z`,
        transcription: `Caller: call ${i + 1}`,
        utm_source: 'google',
        call_summary: 'not asked for',
      })),
      formSubmissions: [
        { id: 'FOR1', submitted_at: '2026-11-03T10:00:00.000Z', form_data: { name: 'A' } },
        { id: 'FOR0', submitted_at: '2026-10-03T10:00:00.000Z', form_data: { name: 'outside' } },
      ],
    });
  });
  afterAll(() => api.close());
  beforeEach(() => api.reset());

  const client = (options: Partial<ConstructorParameters<typeof CallRailListClient>[0]> = {}) =>
    new CallRailListClient({
      baseUrl: api.baseUrl,
      accountId: ACCOUNT,
      apiKey: KEY,
      outbound: emulatorOutbound,
      rateLimitBackoff: FAST,
      failureBackoff: FAST,
      ...options,
    });

  it('pages through the calls oldest first, with the fields the mapping reads and the key as a Token', async () => {
    const first = await client().page('calls', WINDOW, 1, 3);
    expect(first).toMatchObject({ page: 1, totalPages: 3, totalRecords: 7 });
    expect(first.items.map(({ id }) => id)).toEqual(['CAL1', 'CAL2', 'CAL3']);
    expect(first.items[0]).toMatchObject({ transcription: 'Caller: call 1', utm_source: 'google' });
    expect(first.items[0]).not.toHaveProperty('call_summary');
    const last = await client().page('calls', WINDOW, 3, 3);
    expect(last.items.map(({ id }) => id)).toEqual(['CAL7']);
    const [request] = api.requests;
    expect(request?.authorization).toBe(`Token token="${KEY}"`);
    const query = new URL(request?.url ?? '', 'http://x').searchParams;
    expect(Object.fromEntries(query)).toMatchObject({
      start_date: WINDOW.since,
      end_date: WINDOW.until,
      page: '1',
      per_page: '3',
      sort: 'start_time',
      order: 'asc',
    });
    expect(query.get('fields')?.split(',')).toEqual(
      expect.arrayContaining(['transcription', 'company_id', 'source_name']),
    );
  });

  it('reads form submissions in the window', async () => {
    const page = await client().page('form_submissions', WINDOW, 1);
    expect(page.items.map(({ id }) => id)).toEqual(['FOR1']);
    expect(page.totalRecords).toBe(1);
  });

  it('refuses a wrong key at once, naming what to check', async () => {
    const error = await client({ apiKey: 'wrong' })
      .page('calls', WINDOW, 1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeadstreamError);
    expect(error).toMatchObject({ type: 'callrail_api_error', retryable: false });
    expect((error as Error).message).toBe(
      'CallRail API answered 401 to the calls list: HTTP Token: Access denied. (check callrail.api_key and that it can read the account)',
    );
    expect(api.requests).toHaveLength(1);
  });

  it('waits out 429s without Retry-After for as long as they come, then reads the page', async () => {
    api.fault({ kind: 'status', status: 429 }, 6);
    const waits: string[] = [];
    const page = await client({ onWait: (reason) => waits.push(reason) }).page('calls', WINDOW, 1);
    expect(page.items).toHaveLength(7);
    expect(waits).toEqual(Array(6).fill('CallRail 429: over the account budget'));
  });

  it('gives up on a failing API after five attempts, retryable so the backfill can be resumed', async () => {
    api.fault({ kind: 'status', status: 503 }, 10);
    const error = await client()
      .page('calls', WINDOW, 1)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'callrail_unavailable', retryable: true });
    expect(api.requests).toHaveLength(5);
  });

  it('stops waiting for CallRail when interrupted', async () => {
    api.fault({ kind: 'status', status: 429 }, 100);
    const controller = new AbortController();
    const waiting = client({
      rateLimitBackoff: { baseMs: 60_000, maxMs: 60_000 },
      signal: controller.signal,
      onWait: () => controller.abort(),
    }).page('calls', WINDOW, 1);
    await expect(waiting).rejects.toThrow(/abort/i);
    expect(api.requests).toHaveLength(1);
  });
});
