import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Clock } from '../../time/clock.js';
import type { ZohoAccessToken, ZohoAccessTokens } from './access-tokens.js';
import { moduleUrl, withZohoToken, type ZohoTarget } from './authorized-call.js';
import { classifyZohoEntry, classifyZohoStatus, zohoEntryOf } from './error-classification.js';
import type { ZohoCallPayload } from './payloads.js';
import { RECORD_ID } from './record-upsert.js';
import { zohoFetch } from './zoho-http.js';

/**
 * The call as a record of Zoho's Calls module, `POST {api_domain}/crm/{version}/Calls`, on the record
 * it belongs to: a contact through Who_Id, any other module's record (a lead) through What_Id and
 * `$se_module`, as Zoho links activities.
 */
export class ZohoCallLog {
  constructor(
    private readonly tokens: ZohoAccessTokens,
    private readonly clock: Clock,
  ) {}

  insert(target: ZohoTarget, payload: ZohoCallPayload, recordId: string): Promise<string> {
    const calls: ZohoTarget = { ...target, module: 'Calls' };
    const link =
      target.module === 'Contacts'
        ? { Who_Id: { id: recordId } }
        : { What_Id: { id: recordId }, $se_module: target.module };
    return withZohoToken(this.tokens, calls, 'insert', (token) =>
      this.attempt(calls, { ...payload.record, ...link }, token),
    );
  }

  private async attempt(
    target: ZohoTarget,
    record: Record<string, unknown>,
    token: ZohoAccessToken,
  ): Promise<string> {
    const operation = 'Calls.insert';
    await target.gate();
    const { status, body, retryAfterMs } = await zohoFetch(operation, moduleUrl(target, token), {
      method: 'POST',
      accessToken: token.accessToken,
      body: { data: [record] },
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
    return id;
  }
}
