import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Clock } from '../../time/clock.js';
import type { ZohoAccessToken, ZohoAccessTokens } from './access-tokens.js';
import { moduleUrl, withZohoToken, type ZohoTarget } from './authorized-call.js';
import { classifyZohoEntry, classifyZohoStatus, zohoEntryOf } from './error-classification.js';
import type { ZohoUpsertPayload } from './payloads.js';
import { type ZohoAnswer, zohoFetch } from './zoho-http.js';

export interface ZohoUpsertResult {
  id: string;
  action: 'created' | 'updated';
}

export const RECORD_ID = /^\d+$/;

/**
 * The one record a write sent, from its own result in `data[0]`, which decides whatever the HTTP status
 * (Zoho answers a batch with 200, 207 or 400 by how many records failed): its id, and Zoho's action.
 */
export function writtenRecord(operation: string, answer: ZohoAnswer): { id: string; action: unknown } {
  const { status, body, retryAfterMs } = answer;
  const results = (body as { data?: unknown } | null)?.data;
  const first: unknown = Array.isArray(results) ? results[0] : undefined;
  const result = zohoEntryOf(first);
  if (result === undefined) throw classifyZohoStatus(operation, status, body, retryAfterMs);
  if (result.code !== 'SUCCESS') throw classifyZohoEntry(operation, status, result, retryAfterMs);
  const id = result.details.id;
  if (typeof id !== 'string' || !RECORD_ID.test(id)) {
    throw new LeadstreamError('crm_unavailable', `Zoho answered ${operation} without a record id`, {
      details: { operation, status },
    });
  }
  return { id, action: (first as { action?: unknown }).action };
}

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
    const answer = await zohoFetch(operation, `${moduleUrl(target, token)}/upsert`, {
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
    const { id, action } = writtenRecord(operation, answer);
    return { id, action: action === 'update' ? 'updated' : 'created' };
  }
}
