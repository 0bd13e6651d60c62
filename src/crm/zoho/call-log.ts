import type { Clock } from '../../time/clock.js';
import type { ZohoAccessToken, ZohoAccessTokens } from './access-tokens.js';
import { moduleUrl, withZohoToken, type ZohoTarget } from './authorized-call.js';
import type { ZohoCallPayload } from './payloads.js';
import { writtenRecord } from './record-upsert.js';
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
    const answer = await zohoFetch(operation, moduleUrl(target, token), {
      method: 'POST',
      accessToken: token.accessToken,
      body: { data: [record] },
      timeoutMs: target.timeoutMs,
      clock: this.clock,
      outbound: target.credentials.outbound,
    });
    return writtenRecord(operation, answer).id;
  }
}
