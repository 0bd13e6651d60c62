import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import { transportReason } from '../../http/transport-reason.js';
import { vendorMessage } from '../../http/vendor-message.js';
import type { OutboundGuard } from '../../outbound/outbound-guard.js';
import { outboundRefusalIn } from '../../outbound/outbound-refusal.js';
import type { TokenBucket } from '../../rate-limits/token-bucket.js';
import { isJsonObject, type JsonObject } from '../gateway/input-values.js';

/** The two lists a backfill reads, by the key their page's JSON envelope holds them under. */
export type CallRailListKind = 'calls' | 'form_submissions';

/**
 * Fields asked of the call list besides its defaults: what rawCallFromCallRail reads (company,
 * transcript, attribution) and the list leaves out unless asked.
 */
export const CALL_LIST_FIELDS = [
  'company_id',
  'transcription',
  'source',
  'source_name',
  'formatted_tracking_source',
  'keywords',
  'medium',
  'campaign',
  'referring_url',
  'landing_page_url',
  'gclid',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
] as const;

/** CallRail's largest page. */
export const MAX_PER_PAGE = 250;

/** A page of a list as CallRail answers it (offset pagination): the items and where they stand. */
export interface ListPage {
  items: JsonObject[];
  page: number;
  totalPages: number;
  totalRecords: number;
}

const envelopeSchema = z.object({
  page: z.number().int().nonnegative(),
  total_pages: z.number().int().nonnegative(),
  total_records: z.number().int().nonnegative(),
});

export interface ListWindow {
  /** ISO date-times, both inclusive, as CallRail's start_date and end_date. */
  since: string;
  until: string;
}

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/**
 * CallRail answers a 429 without Retry-After and asks clients to pause until it clears; its budget is
 * per hour (1,000 requests) and per day (10,000). A minute first, doubling to ten, is a few requests an
 * hour spent on asking while the window turns over.
 */
export const RATE_LIMIT_BACKOFF: Backoff = { baseMs: 60_000, maxMs: 600_000 };

/** A 5xx or an unreachable API: seconds, a handful of times, before the backfill stops (resumable). */
export const FAILURE_BACKOFF: Backoff = { baseMs: 2_000, maxMs: 30_000 };
const FAILURE_ATTEMPTS = 5;

export interface CallRailListOptions {
  baseUrl: string;
  accountId: string;
  apiKey: string;
  outbound: OutboundGuard;
  /** Paces requests under the account's budget, shared with the enricher's transcript look-ups. */
  budget?: TokenBucket;
  rateLimitBackoff?: Backoff;
  failureBackoff?: Backoff;
  timeoutMs?: number;
  /** Told of each wait, so a progress line can say why nothing moves. */
  onWait?: (reason: string, ms: number) => void;
  signal?: AbortSignal;
  random?: () => number;
}

/** Doubling from base to max, with jitter on the upper half so two backfills do not retry in step. */
function delayOf(backoff: Backoff, attempt: number, random: () => number): number {
  const exponential = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/**
 * Pages of CallRail API v3's call and form-submission lists for one account
 * (`GET /a/{account_id}/calls.json`, `/form_submissions.json`, oldest first), with the account's key
 * as `Authorization: Token token="..."`, through the outbound policy. A 429 waits and asks again for
 * as long as it takes (aborted by the signal); a 5xx or an unreachable API is retried a few times.
 */
export class CallRailListClient {
  private readonly random: () => number;

  constructor(private readonly options: CallRailListOptions) {
    this.random = options.random ?? Math.random;
  }

  url(kind: CallRailListKind, window: ListWindow, page: number, perPage: number): string {
    const base = this.options.baseUrl.replace(/\/+$/, '');
    const query = new URLSearchParams({
      start_date: window.since,
      end_date: window.until,
      page: String(page),
      per_page: String(perPage),
      // Oldest first: a call that lands in the window while it is read goes to the last page, and the
      // pages already read keep their calls.
      sort: kind === 'calls' ? 'start_time' : 'submitted_at',
      order: 'asc',
      ...(kind === 'calls' ? { fields: CALL_LIST_FIELDS.join(',') } : {}),
    });
    return `${base}/a/${encodeURIComponent(this.options.accountId)}/${kind}.json?${query}`;
  }

  async page(
    kind: CallRailListKind,
    window: ListWindow,
    page: number,
    perPage = MAX_PER_PAGE,
  ): Promise<ListPage> {
    const url = this.url(kind, window, page, perPage);
    const random = this.random;
    for (let limited = 0, failed = 0; ; ) {
      this.options.signal?.throwIfAborted();
      await this.options.budget?.take();
      try {
        return await this.fetchPage(kind, url);
      } catch (error) {
        if (!(error instanceof LeadstreamError) || !error.retryable) throw error;
        let wait: number;
        if (error.details.status_code === 429) {
          limited += 1;
          wait = delayOf(this.options.rateLimitBackoff ?? RATE_LIMIT_BACKOFF, limited, random);
          this.options.onWait?.('CallRail 429: over the account budget', wait);
        } else {
          failed += 1;
          if (failed >= FAILURE_ATTEMPTS) throw error;
          wait = delayOf(this.options.failureBackoff ?? FAILURE_BACKOFF, failed, random);
          this.options.onWait?.(error.message, wait);
        }
        await sleep(wait, undefined, this.options.signal ? { signal: this.options.signal } : {});
      }
    }
  }

  private async fetchPage(kind: CallRailListKind, url: string): Promise<ListPage> {
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let body: string;
    try {
      response = await this.options.outbound.fetch(url, {
        headers: { authorization: `Token token="${this.options.apiKey}"`, accept: 'application/json' },
        signal,
      });
      body = await response.text();
    } catch (error) {
      const refused = outboundRefusalIn(error);
      if (refused) throw refused;
      const reason = signal.aborted ? `no answer within ${timeoutMs} ms` : transportReason(error);
      throw new LeadstreamError('callrail_unavailable', `CallRail API: ${reason}`, { cause: error });
    }
    if (!response.ok) {
      const message = `CallRail API answered ${response.status} to the ${kind} list: ${vendorMessage(body)}`;
      const details = { status_code: response.status };
      if (response.status === 429 || response.status >= 500) {
        throw new LeadstreamError('callrail_unavailable', message, { details });
      }
      const advice =
        response.status === 401 || response.status === 403
          ? ' (check callrail.api_key and that it can read the account)'
          : response.status === 404
            ? ' (check callrail.account_id)'
            : '';
      throw new LeadstreamError('callrail_api_error', `${message}${advice}`, { details });
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new LeadstreamError('callrail_api_error', `CallRail API answered the ${kind} list with no JSON`, {
        cause: error,
      });
    }
    const envelope = envelopeSchema.safeParse(json);
    const items = isJsonObject(json) ? json[kind] : undefined;
    if (!envelope.success || !Array.isArray(items) || !items.every(isJsonObject)) {
      throw new LeadstreamError(
        'callrail_api_error',
        `CallRail API answered the ${kind} list without page, total_pages, total_records and a ${kind} array`,
      );
    }
    return {
      items,
      page: envelope.data.page,
      totalPages: envelope.data.total_pages,
      totalRecords: envelope.data.total_records,
    };
  }
}
