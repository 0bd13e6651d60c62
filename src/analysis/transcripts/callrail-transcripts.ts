import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { TenantConfig } from '../../config/tenants/tenant-config.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { RawCall } from '../../events/raw-call.js';
import { retryAfterMs } from '../../http/retry-after.js';
import { transportReason } from '../../http/transport-reason.js';
import { vendorMessage } from '../../http/vendor-message.js';
import { nextRetryDelay, type RetryPolicy } from '../../kafka/retry-policy.js';
import type { OutboundGuard } from '../../outbound/outbound-guard.js';
import { outboundRefusalIn } from '../../outbound/outbound-refusal.js';
import { transcriptOf } from '../../producers/gateway/callrail-payload.js';
import { GatewayError } from '../../producers/gateway/gateway-error.js';
import type { SecretResolver } from '../../secrets/secret-resolver.js';
import { type Clock, systemClock } from '../../time/clock.js';
import type { TranscriptSource } from './transcript-source.js';

const CALLRAIL_API_BASE_URL = 'https://api.callrail.com/v3';

export interface CallRailTranscriptOptions {
  /** Bounds one request, its body included. */
  timeoutMs?: number;
  /** Attempts in all (the first and its retries) on 429, 5xx and unreachable API. */
  retry?: RetryPolicy;
  /** What a Retry-After date is measured against. */
  clock?: Clock;
  /** What a tenant's api_base_url may reach; redirects are not followed. */
  outbound: OutboundGuard;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 5_000 };

/**
 * The parts of a call that are read: `transcription` is null or "" while CallRail has none;
 * `conversational_transcript`, the same words by speaker, is null for accounts without it and is read as
 * the gateway reads a webhook's (text, turns, or turns as a JSON string), turns winning as they say who spoke.
 */
const callSchema = z.object({
  transcription: z.string().nullish(),
  conversational_transcript: z.unknown(),
});

/** CallRail sends no Retry-After with its 429; a proxy in front of it may, in seconds or as a date. */
function failureOf(status: number, body: string, retryAfter: string | null, now: Date): LeadstreamError {
  const message = `CallRail API answered ${status}: ${vendorMessage(body)}`;
  const details = { status_code: status };
  if (status === 429 || status >= 500) {
    const delay = retryAfterMs(retryAfter, now);
    return new LeadstreamError('callrail_unavailable', message, {
      details,
      ...(delay === undefined ? {} : { retryAfterMs: delay }),
    });
  }
  const advice =
    status === 401 || status === 403
      ? ' (check callrail.api_key and that it can read the account)'
      : status === 404
        ? ' (check callrail.account_id, or the call is not in that account)'
        : '';
  return new LeadstreamError('callrail_api_error', `${message}${advice}`, { details });
}

/**
 * The transcript of a CallRail call from API v3 (`GET /a/{account_id}/calls/{call_id}.json
 * ?fields=transcription,conversational_transcript`), with the tenant's account and key. A 429 (CallRail limits an account to
 * 1,000 requests an hour), a 5xx or an unreachable API is retried a couple of times with back-off; a
 * timeout is not, so one slow call holds its partition for one timeout only.
 */
export class CallRailTranscripts implements TranscriptSource {
  readonly name = 'callrail';
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly clock: Clock;
  private readonly outbound: OutboundGuard;

  constructor(
    private readonly secrets: SecretResolver,
    options: CallRailTranscriptOptions,
  ) {
    this.outbound = options.outbound;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.clock = options.clock ?? systemClock;
  }

  canFetch(tenant: TenantConfig): boolean {
    return tenant.callrail?.account_id !== undefined && tenant.callrail.api_key !== undefined;
  }

  async transcriptOf(call: RawCall, tenant: TenantConfig): Promise<string | null> {
    const callrail = tenant.callrail;
    if (callrail?.account_id === undefined || callrail.api_key === undefined) {
      throw new LeadstreamError('config_error', 'the tenant has no callrail.account_id and api_key');
    }
    const key = await this.secrets.resolve(callrail.api_key);
    const base = (callrail.api_base_url ?? CALLRAIL_API_BASE_URL).replace(/\/+$/, '');
    const url = `${base}/a/${encodeURIComponent(callrail.account_id)}/calls/${encodeURIComponent(call.call_id)}.json?fields=transcription,conversational_transcript`;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.fetchOnce(url, key);
      } catch (error) {
        if (!(error instanceof LeadstreamError)) throw error;
        const delay = nextRetryDelay(error, attempt, this.retry);
        if (delay === undefined || error.details.timed_out === true) throw error;
        await sleep(delay);
      }
    }
  }

  private async fetchOnce(url: string, key: string): Promise<string | null> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let body: string;
    try {
      response = await this.outbound.fetch(url, {
        headers: { authorization: `Token token="${key}"`, accept: 'application/json' },
        signal,
      });
      body = await response.text();
    } catch (error) {
      const refused = outboundRefusalIn(error);
      if (refused) throw refused;
      if (signal.aborted) {
        throw new LeadstreamError(
          'callrail_unavailable',
          `CallRail API gave no answer within ${this.timeoutMs} ms`,
          {
            cause: error,
            details: { timed_out: true },
          },
        );
      }
      throw new LeadstreamError(
        'callrail_unavailable',
        `CallRail API could not be reached: ${transportReason(error)}`,
        { cause: error },
      );
    }
    if (!response.ok) {
      throw failureOf(response.status, body, response.headers.get('retry-after'), this.clock.now());
    }
    let parsed: z.ZodSafeParseResult<z.infer<typeof callSchema>>;
    try {
      parsed = callSchema.safeParse(JSON.parse(body));
    } catch (error) {
      throw new LeadstreamError(
        'callrail_api_error',
        'CallRail API answered 200 with a body that is not JSON',
        {
          cause: error,
        },
      );
    }
    if (!parsed.success) {
      throw new LeadstreamError(
        'callrail_api_error',
        'CallRail API answered a call whose transcription is not text',
      );
    }
    try {
      return transcriptOf(parsed.data);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      throw new LeadstreamError(
        'callrail_api_error',
        `CallRail API answered a call whose conversational_transcript is not readable: ${error.message}`,
      );
    }
  }
}
