import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Clock } from '../../time/clock.js';
import type { ZohoAccessTokens } from './access-tokens.js';
import { readZohoRecords, type ZohoTarget } from './authorized-call.js';
import { RECORD_ID } from './record-upsert.js';

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
  async find(target: ZohoTarget, key: ZohoSearchKey, value: string): Promise<string | undefined> {
    const operation = `${target.module}.search`;
    const records = await readZohoRecords(
      this.tokens,
      this.clock,
      target,
      operation,
      'search',
      `/search?${key}=${encodeURIComponent(value)}`,
    );
    if (records.length === 0) return undefined;
    const id = records[0]?.id;
    if (typeof id !== 'string' || !RECORD_ID.test(id)) {
      throw new LeadstreamError('crm_unavailable', `Zoho answered ${operation} without a record id`, {
        details: { operation, status: 200 },
      });
    }
    return id;
  }
}
