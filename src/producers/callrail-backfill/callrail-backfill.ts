import { z } from 'zod';
import type { LeadstreamError } from '../../errors/leadstream-error.js';
import type { RawCall } from '../../events/raw-call.js';
import { rawCallFromCallRail } from '../gateway/callrail-payload.js';
import type { JsonObject } from '../gateway/input-values.js';
import type { TranscriptLimit } from '../gateway/transcript-limit.js';
import type { RawCallPublisher } from '../raw-call-publisher.js';
import { publishWindow } from '../resume/publish-window.js';
import { StateFile } from '../resume/state-file.js';
import {
  type CallRailListClient,
  type CallRailListKind,
  type ListWindow,
  MAX_PER_PAGE,
} from './callrail-list-client.js';

/** How the backfill names itself in RawCall.source_name. */
export const BACKFILL_SOURCE_NAME = 'callrail-backfill';

/** The lists in the order they are read. */
const KINDS: readonly CallRailListKind[] = ['calls', 'form_submissions'];

const countsSchema = z.object({
  calls: z.number().int().nonnegative(),
  form_submissions: z.number().int().nonnegative(),
});

/** What the state file holds: the backfill it is for, and the next page to read. */
export const backfillStateSchema = z.object({
  tenant_id: z.string(),
  account_id: z.string(),
  topic: z.string(),
  since: z.string(),
  /** Fixed by the first run (now, unless --until said), so a rerun pages the same set. */
  until: z.string(),
  per_page: z.number().int().positive(),
  /** The list being read; `done` once both are. */
  kind: z.enum(['calls', 'form_submissions', 'done']),
  /** Every item on the pages before it is published. */
  next_page: z.number().int().positive(),
  published: countsSchema,
  /** Items CallRail answered that cannot be a RawCall (a malformed value), each reported once. */
  refused: countsSchema,
});
export type BackfillState = z.infer<typeof backfillStateSchema>;

export function backfillStateFile(path: string): StateFile<BackfillState> {
  return new StateFile(path, backfillStateSchema);
}

export function freshBackfillState(
  identity: Pick<BackfillState, 'tenant_id' | 'account_id' | 'topic' | 'since' | 'until'>,
  perPage = MAX_PER_PAGE,
): BackfillState {
  return {
    ...identity,
    per_page: perPage,
    kind: 'calls',
    next_page: 1,
    published: { calls: 0, form_submissions: 0 },
    refused: { calls: 0, form_submissions: 0 },
  };
}

export interface BackfillOptions {
  list: CallRailListClient;
  publisher: RawCallPublisher;
  state: StateFile<BackfillState>;
  from: BackfillState;
  transcriptLimit?: TranscriptLimit;
  now?: () => number;
  /** Aborted: the page in flight is published and recorded, no further page is asked for. */
  signal?: AbortSignal;
  /** Each list's total_records, as its first page read says. */
  onTotal?: (kind: CallRailListKind, records: number) => void;
  onProgress?: (state: BackfillState) => void;
  /** An item that cannot be a RawCall: its id when it has one, and why. */
  onRefused?: (kind: CallRailListKind, id: string, reason: string) => void;
}

export interface BackfillResult {
  state: BackfillState;
  interrupted: boolean;
  /** The write Kafka did not acknowledge; the state still names the page it was on. */
  error: LeadstreamError | undefined;
}

/** A list item as the gateway would have mapped its webhook, named as the backfill's. */
function rawCallOf(
  kind: CallRailListKind,
  item: JsonObject,
  tenantId: string,
  receivedAt: number,
  limit?: TranscriptLimit,
): RawCall {
  // A submission read from the list is a form whatever it carries; the mapping tells forms by form_data.
  const body = kind === 'form_submissions' ? { ...item, form_data: item.form_data ?? {} } : item;
  return { ...rawCallFromCallRail(body, tenantId, receivedAt, limit), source_name: BACKFILL_SOURCE_NAME };
}

/**
 * Reads the tenant's CallRail calls, then its form submissions, in the window, a page at a time from
 * where `from` stands, publishing each page's leads as RawCalls (the gateway's CallRail mapping) and
 * recording the next page once all of the page's were acknowledged. A rerun after an interruption
 * starts at that page: a page is published again only when the process died between Kafka's
 * acknowledgement and the state's write, and downstream takes those calls for redeliveries of their
 * idempotency key (tenant_id + call_id).
 */
export async function runCallRailBackfill(options: BackfillOptions): Promise<BackfillResult> {
  let state = options.from;
  const now = options.now ?? Date.now;
  const save = async (next: BackfillState) => {
    state = next;
    await options.state.write(state);
    options.onProgress?.(state);
  };
  const window: ListWindow = { since: state.since, until: state.until };
  while (state.kind !== 'done') {
    const kind = state.kind;
    if (options.signal?.aborted) return { state, interrupted: true, error: undefined };
    let page: Awaited<ReturnType<CallRailListClient['page']>>;
    try {
      page = await options.list.page(kind, window, state.next_page, state.per_page);
    } catch (error) {
      if (options.signal?.aborted) return { state, interrupted: true, error: undefined };
      throw error;
    }
    options.onTotal?.(kind, page.totalRecords);
    const calls: RawCall[] = [];
    let refused = 0;
    const receivedAt = now();
    for (const item of page.items) {
      try {
        calls.push(rawCallOf(kind, item, state.tenant_id, receivedAt, options.transcriptLimit));
      } catch (error) {
        refused += 1;
        const id = typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id) : '(no id)';
        options.onRefused?.(kind, id, (error as Error).message);
      }
    }
    const { acknowledged, error } = await publishWindow(options.publisher, calls);
    if (error) {
      // The page is read and published again by the next run; what was acknowledged of it is then a
      // redelivery downstream.
      return { state, interrupted: false, error };
    }
    const last = page.items.length === 0 || state.next_page >= page.totalPages;
    const nextKind = KINDS[KINDS.indexOf(kind) + 1];
    await save({
      ...state,
      kind: last ? (nextKind ?? 'done') : kind,
      next_page: last ? 1 : state.next_page + 1,
      published: { ...state.published, [kind]: state.published[kind] + acknowledged },
      refused: { ...state.refused, [kind]: state.refused[kind] + refused },
    });
  }
  return { state, interrupted: false, error: undefined };
}
