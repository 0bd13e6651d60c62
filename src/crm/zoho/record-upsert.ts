import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Logger } from '../../observability/logger.js';
import type { Clock } from '../../time/clock.js';
import type { ZohoAccessToken, ZohoAccessTokens, ZohoCredentials } from './access-tokens.js';
import {
  classifyZohoEntry,
  classifyZohoStatus,
  isInvalidToken,
  zohoEntryOf,
} from './error-classification.js';
import type { ZohoUpsertPayload } from './payloads.js';
import { zohoFetch } from './zoho-http.js';

export interface ZohoUpsertTarget {
  tenantId: string;
  credentials: ZohoCredentials;
  /** Replaces the api_domain the token answer names (tests, proxies). */
  apiDomain: string | undefined;
  apiVersion: string;
  module: string;
  /** Waits for the tenant's rate-limit slot. */
  gate: () => Promise<number>;
  timeoutMs: number;
  logger: Logger;
}

export interface ZohoUpsertResult {
  id: string;
  action: 'created' | 'updated';
}

const RECORD_ID = /^\d+$/;

/**
 * One record through `POST {api_domain}/crm/{version}/{module}/upsert`, authenticated with the
 * tenant's cached access token. A token Zoho no longer accepts (INVALID_TOKEN) is dropped and the
 * call made once more with a fresh one. The record's own result in `data[0]` decides the outcome,
 * whatever the HTTP status (Zoho answers a batch with 200, 207 or 400 by how many records failed).
 */
export class ZohoRecordUpsert {
  constructor(
    private readonly tokens: ZohoAccessTokens,
    private readonly clock: Clock,
  ) {}

  async upsert(target: ZohoUpsertTarget, payload: ZohoUpsertPayload): Promise<ZohoUpsertResult> {
    const token = await this.tokens.get(target.tenantId, target.credentials);
    try {
      return await this.attempt(target, payload, token);
    } catch (error) {
      if (!isInvalidToken(error)) throw error;
      target.logger.info(
        { workflow_step: 'crm_push' },
        'Zoho no longer accepts the access token; refreshing it',
      );
      await this.tokens.invalidate(target.tenantId, token.accessToken);
      const fresh = await this.tokens.get(target.tenantId, target.credentials);
      try {
        return await this.attempt(target, payload, fresh);
      } catch (retryError) {
        if (!isInvalidToken(retryError)) throw retryError;
        await this.tokens.invalidate(target.tenantId, fresh.accessToken);
        throw new LeadstreamError(
          'crm_auth_error',
          'Zoho refused a freshly issued access token: check that data_centre (or api_domain) is where the account lives',
          { details: { operation: 'upsert', error_code: 'INVALID_TOKEN' }, cause: retryError },
        );
      }
    }
  }

  private async attempt(
    target: ZohoUpsertTarget,
    payload: ZohoUpsertPayload,
    token: ZohoAccessToken,
  ): Promise<ZohoUpsertResult> {
    const operation = `${target.module}.upsert`;
    const domain = (target.apiDomain ?? token.apiDomain).replace(/\/+$/, '');
    await target.gate();
    const { status, body, retryAfterMs } = await zohoFetch(
      operation,
      `${domain}/crm/${target.apiVersion}/${encodeURIComponent(target.module)}/upsert`,
      {
        method: 'POST',
        accessToken: token.accessToken,
        body: {
          data: [payload.record],
          duplicate_check_fields: payload.duplicate_check_fields,
          trigger: payload.trigger,
        },
        timeoutMs: target.timeoutMs,
        clock: this.clock,
      },
    );
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
