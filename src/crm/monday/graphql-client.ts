import { LeadstreamError } from '../../errors/leadstream-error.js';
import { retryAfterMs } from '../../http/retry-after.js';
import type { OutboundGuard } from '../../outbound/outbound-guard.js';
import type { Clock } from '../../time/clock.js';
import { answerBody } from '../http-answer.js';
import { transportFailure } from '../transport-failure.js';
import { classifyMondayFailure, mondayErrorsOf } from './error-classification.js';

export interface MondayClientOptions {
  /** https://api.monday.com/v2, or the tenant's configured endpoint. */
  apiUrl: string;
  apiToken: string;
  /** Sent as the API-Version header. */
  apiVersion: string;
  /** Waits for the tenant's rate-limit slot. */
  gate: () => Promise<number>;
  timeoutMs: number;
  /** What a Retry-After date is measured against. */
  clock: Clock;
  /** What the tenant's api_url may reach; redirects are not followed. */
  outbound: OutboundGuard;
}

/**
 * One tenant's access to Monday's GraphQL API: a constant document and its variables per request,
 * POSTed as JSON with the token in Authorization (Monday takes it bare, without "Bearer"). Any
 * `errors` in the answer fail the request, whatever the HTTP status, because Monday reports
 * application errors with 200.
 */
export class MondayGraphqlClient {
  constructor(private readonly options: MondayClientOptions) {}

  async request<T>(operation: string, document: string, variables: Record<string, unknown>): Promise<T> {
    const { apiUrl, apiToken, apiVersion, gate, timeoutMs, clock, outbound } = this.options;
    await gate();
    let response: Response;
    try {
      response = await outbound.fetch(apiUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: apiToken,
          'api-version': apiVersion,
        },
        body: JSON.stringify({ query: document, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw transportFailure('Monday', operation, error);
    }
    const body = await answerBody(response);
    const retryAfter = retryAfterMs(response.headers.get('retry-after'), clock.now());
    if (!response.ok || mondayErrorsOf(body).length > 0) {
      throw classifyMondayFailure(operation, response.status, body, retryAfter);
    }
    const data = (body as { data?: unknown } | null)?.data;
    if (data === null || typeof data !== 'object') {
      throw new LeadstreamError('crm_unavailable', `Monday answered ${operation} without data`, {
        details: { operation, status: response.status },
      });
    }
    return data as T;
  }
}
