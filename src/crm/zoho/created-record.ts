import type { Clock } from '../../time/clock.js';
import type { ZohoAccessTokens } from './access-tokens.js';
import { readZohoRecords, type ZohoTarget } from './authorized-call.js';
import type { ZohoUpsertPayload } from './payloads.js';
import { RECORD_ID } from './record-upsert.js';

/** The module's newest records looked at: a redelivery comes soon after the create it repeats. */
const MAX_LOOKED_AT = 100;

/** Zoho takes at most 50 fields in `fields`; one is Created_Time. */
const MAX_COMPARED = 49;

/** The payload's values a record created from it holds as they were sent. */
function comparedFields(record: ZohoUpsertPayload['record']): Array<[string, string | number]> {
  return Object.entries(record)
    .filter((entry): entry is [string, string | number] => {
      const value = entry[1];
      return (typeof value === 'string' && value !== '') || typeof value === 'number';
    })
    .slice(0, MAX_COMPARED);
}

/**
 * The record an earlier delivery of the command inserted but could not remember (it crashed or timed out
 * between Zoho's answer and the ledger's acknowledgement), for a record whose duplicate check fields are
 * all empty (with one, the upsert itself finds it): among the module's newest records, read with
 * `GET {module}?sort_by=Created_Time` rather than searched, one holding every value the payload sets and
 * created since `since` (CreatedRecords.creatingSince).
 */
export class ZohoCreatedRecord {
  constructor(
    private readonly tokens: ZohoAccessTokens,
    private readonly clock: Clock,
  ) {}

  async createdSince(
    target: ZohoTarget,
    payload: ZohoUpsertPayload,
    since: number,
  ): Promise<string | undefined> {
    const operation = `${target.module}.list`;
    const compared = comparedFields(payload.record);
    if (compared.length === 0) return undefined;
    const fields = [...compared.map(([name]) => name), 'Created_Time'].join(',');
    const records = await readZohoRecords(
      this.tokens,
      this.clock,
      target,
      operation,
      'list',
      `?fields=${encodeURIComponent(fields)}&sort_by=Created_Time&sort_order=desc&per_page=${MAX_LOOKED_AT}`,
    );
    for (const listed of records) {
      const id = listed?.id;
      if (typeof id !== 'string' || !RECORD_ID.test(id)) continue;
      const created = typeof listed?.Created_Time === 'string' ? Date.parse(listed.Created_Time) : Number.NaN;
      if (!(created >= since)) continue;
      if (compared.every(([name, value]) => listed?.[name] === value)) return id;
    }
    return undefined;
  }
}
