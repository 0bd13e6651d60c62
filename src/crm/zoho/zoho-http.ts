import { retryAfterMs } from '../../http/retry-after.js';
import type { OutboundGuard } from '../../outbound/outbound-guard.js';
import type { Clock } from '../../time/clock.js';
import { answerBody } from '../http-answer.js';
import { transportFailure } from '../transport-failure.js';

export interface ZohoAnswer {
  status: number;
  /** The parsed JSON, or the raw text when it was not JSON (a gateway's HTML page). */
  body: unknown;
  retryAfterMs: number | undefined;
}

/** One authenticated call to the CRM API; transport failures become crm_unavailable. */
export async function zohoFetch(
  operation: string,
  url: string,
  init: {
    method: 'GET' | 'POST';
    accessToken: string;
    body?: unknown;
    timeoutMs: number;
    clock: Clock;
    outbound: OutboundGuard;
  },
): Promise<ZohoAnswer> {
  let response: Response;
  try {
    response = await init.outbound.fetch(url, {
      method: init.method,
      headers: {
        authorization: `Zoho-oauthtoken ${init.accessToken}`,
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch (error) {
    throw transportFailure('Zoho', operation, error);
  }
  const body = await answerBody(response);
  return {
    status: response.status,
    body,
    retryAfterMs: retryAfterMs(response.headers.get('retry-after'), init.clock.now()),
  };
}
