import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Clock } from '../../time/clock.js';
import type { ZohoAccessTokens } from './access-tokens.js';
import { moduleUrl, withZohoToken, type ZohoTarget } from './authorized-call.js';
import { classifyZohoStatus } from './error-classification.js';
import { RECORD_ID } from './record-upsert.js';
import { zohoFetch } from './zoho-http.js';

/** Zoho's search parameters: `phone` looks in every phone field of the module, `email` in every email field. */
export type ZohoSearchKey = 'phone' | 'email';

/**
 * Finds a module's record through `GET {api_domain}/crm/{version}/{module}/search?phone=` (or `email=`).
 * Zoho answers 204 with no body when nothing matches, 200 with the matches in `data` otherwise.
 */
export class ZohoRecordSearch {
  constructor(
    private readonly tokens: ZohoAccessTokens,
    private readonly clock: Clock,
  ) {}

  /** The id of the first record matching, or undefined when none does. */
  find(target: ZohoTarget, key: ZohoSearchKey, value: string): Promise<string | undefined> {
    const operation = `${target.module}.search`;
    return withZohoToken(this.tokens, target, 'search', async (token) => {
      await target.gate();
      const { status, body, retryAfterMs } = await zohoFetch(
        operation,
        `${moduleUrl(target, token)}/search?${key}=${encodeURIComponent(value)}`,
        {
          method: 'GET',
          accessToken: token.accessToken,
          timeoutMs: target.timeoutMs,
          clock: this.clock,
          outbound: target.credentials.outbound,
        },
      );
      if (status === 204) return undefined;
      if (status !== 200) throw classifyZohoStatus(operation, status, body, retryAfterMs);
      const records = (body as { data?: unknown } | null)?.data;
      if (!Array.isArray(records)) throw classifyZohoStatus(operation, status, body, retryAfterMs);
      if (records.length === 0) return undefined;
      const id = (records[0] as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' || !RECORD_ID.test(id)) {
        throw new LeadstreamError('crm_unavailable', `Zoho answered ${operation} without a record id`, {
          details: { operation, status },
        });
      }
      return id;
    });
  }
}
