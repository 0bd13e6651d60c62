import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Clock } from '../../time/clock.js';
import type { ZohoAccessToken, ZohoAccessTokens } from './access-tokens.js';
import { moduleUrl, withZohoToken, type ZohoTarget } from './authorized-call.js';
import { classifyZohoEntry, classifyZohoStatus, zohoEntryOf } from './error-classification.js';
import type { ZohoUpsertPayload } from './payloads.js';
import { zohoFetch } from './zoho-http.js';

export interface ZohoUpsertResult {
  id: string;
  action: 'created' | 'updated';
}

export const RECORD_ID = /^\d+$/;

/**
 * One record through `POST {api_domain}/crm/{version}/{module}/upsert` (see withZohoToken for the
 * access token). The record's own result in `data[0]` decides the outcome,
 * whatever the HTTP status (Zoho answers a batch with 200, 207 or 400 by how many records failed).
 */
export class ZohoRecordUpsert {
  constructor(
    private readonly tokens: ZohoAccessTokens,
    private readonly clock: Clock,
  ) {}

  upsert(target: ZohoTarget, payload: ZohoUpsertPayload): Promise<ZohoUpsertResult> {
    return withZohoToken(this.tokens, target, 'upsert', (token) => this.attempt(target, payload, token));
  }

  private async attempt(
    target: ZohoTarget,
    payload: ZohoUpsertPayload,
    token: ZohoAccessToken,
  ): Promise<ZohoUpsertResult> {
    const operation = `${target.module}.upsert`;
    await target.gate();
    const { status, body, retryAfterMs } = await zohoFetch(operation, `${moduleUrl(target, token)}/upsert`, {
      method: 'POST',
      accessToken: token.accessToken,
      body: {
        data: [payload.record],
        duplicate_check_fields: payload.duplicate_check_fields,
        trigger: payload.trigger,
      },
      timeoutMs: target.timeoutMs,
      clock: this.clock,
      outbound: target.credentials.outbound,
    });
    const results = (body as { data?: unknown } | null)?.data;
    const result = Array.isArray(results) ? zohoEntryOf(results[0]) : undefined;
    if (result === undefined) throw classifyZohoStatus(operation, status, body, retryAfterMs);
    if (result.code !== 'SUCCESS') throw classifyZohoEntry(operation, status, result, retryAfterMs);
    const id = result.details.id;
    if (typeof id !== 'string' || !RECORD_ID.test(id)) {
      throw new LeadstreamError('crm_unavailable', `Zoho answered ${operation} without a record id`, {
        details: { operation, status },
      });
    }
    const action = (results as Array<{ action?: unknown }>)[0]?.action;
    return { id, action: action === 'update' ? 'updated' : 'created' };
  }
}
