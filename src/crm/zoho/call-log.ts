import type { Clock } from '../../time/clock.js';
import type { ZohoAccessToken, ZohoAccessTokens } from './access-tokens.js';
import { moduleUrl, readZohoRecords, withZohoToken, type ZohoTarget } from './authorized-call.js';
import type { ZohoCallPayload } from './payloads.js';
import { RECORD_ID, writtenRecord } from './record-upsert.js';
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

  /**
   * The call an earlier delivery of the command logged on the record but could not remember (it crashed
   * or timed out between Zoho's answer and the ledger's acknowledgement): among the record's Calls
   * related list, `GET {module}/{id}/Calls`, which reads the calls themselves rather than the search
   * index, one with the same Subject and start time created since `since` (CreatedRecords.creatingSince,
   * Zoho's clock skew allowed): a returning caller's calls share a Subject.
   */
  async createdSince(
    target: ZohoTarget,
    recordId: string,
    call: ZohoCallPayload,
    since: number,
  ): Promise<string | undefined> {
    const operation = `${target.module}.Calls.related`;
    const { record } = call;
    const calls = await readZohoRecords(
      this.tokens,
      this.clock,
      target,
      operation,
      'related',
      `/${encodeURIComponent(recordId)}/Calls?fields=Subject,Call_Start_Time,Created_Time&per_page=200`,
    );
    for (const listed of calls) {
      const id = listed?.id;
      if (typeof id !== 'string' || !RECORD_ID.test(id) || listed?.Subject !== record.Subject) continue;
      // Zoho answers times in the account's time zone: the same instant, maybe another offset.
      if (instant(listed.Call_Start_Time) !== instant(record.Call_Start_Time)) continue;
      if (instant(listed.Created_Time) >= since) return id;
    }
    return undefined;
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

/** Zoho's datetime (`2026-03-02T15:00:00+00:00`) as epoch ms; NaN (never since) when it is not one. */
function instant(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}
