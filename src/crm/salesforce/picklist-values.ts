import type { DescribeSObjectResult } from 'jsforce';
import { LRUCache } from 'lru-cache';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import { findOption } from '../../identity/option-match.js';
import type { Logger } from '../../observability/logger.js';
import type { SalesforceRecordPayload } from './payloads.js';
import type { SalesforceSession } from './salesforce-session.js';

type Fields = SalesforceRecordPayload['fields'];

interface PicklistOption {
  value: string;
  label: string;
}

/** Picklist fields of one object: field name → active options. */
type Picklists = ReadonlyMap<string, PicklistOption[]>;

function picklistsOf(describe: DescribeSObjectResult): Picklists {
  const picklists = new Map<string, PicklistOption[]>();
  for (const field of describe.fields) {
    if (field.type !== 'picklist' && field.type !== 'multipicklist') continue;
    const options = (field.picklistValues ?? [])
      .filter((option) => option.active)
      .map((option) => ({ value: option.value, label: option.label ?? option.value }));
    picklists.set(field.name, options);
  }
  return picklists;
}

function picklistValue(options: PicklistOption[], value: string): string | undefined {
  return findOption(value, options, (option) => [option.value, option.label])?.value;
}

/**
 * Analysis values (`whole_home`) made into the org's picklist values (`Whole Home`) for picklist fields
 * the tenant's `picklists` does not list (those the mapper converted already). The org's picklists come
 * from `/sobjects/<object>/describe`, cached per tenant and object for an hour, and forgotten when
 * Salesforce refuses a value so that a fixed picklist is seen on the retry.
 */
export class PicklistValues {
  private readonly described = new LRUCache<string, Picklists>({ max: 10_000, ttl: 60 * 60_000 });

  async resolve(
    session: SalesforceSession,
    objectType: 'Lead' | 'Task',
    fields: Fields,
    configured: ReadonlySet<string>,
    logger: Logger,
  ): Promise<Fields> {
    const candidates = Object.entries(fields).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && !configured.has(entry[0]),
    );
    if (candidates.length === 0) return fields;
    const picklists = await this.picklists(session, objectType, logger);
    const resolved: Fields = { ...fields };
    for (const [name, value] of candidates) {
      const options = picklists.get(name);
      if (options === undefined) continue;
      // A multi-select picklist takes its values joined with ';'.
      const parts = value.split(';').map((part) => part.trim());
      const matched = parts.map((part) => picklistValue(options, part));
      if (matched.every((m): m is string => m !== undefined)) {
        resolved[name] = matched.join(';');
      } else {
        logger.debug(
          { workflow_step: 'crm_push', field: name, object_type: objectType },
          'value matches no option of the picklist; sent as mapped',
        );
      }
    }
    return resolved;
  }

  forget(tenantId: string): void {
    for (const key of [...this.described.keys()]) {
      if (key.startsWith(`${tenantId}\u0000`)) this.described.delete(key);
    }
  }

  private async picklists(
    session: SalesforceSession,
    objectType: string,
    logger: Logger,
  ): Promise<Picklists> {
    const key = `${session.tenantId}\u0000${objectType}`;
    const cached = this.described.get(key);
    if (cached) return cached;
    try {
      const describe = await session.call(`${objectType}.describe`, (conn) =>
        conn.sobject(objectType).describe(),
      );
      const picklists = picklistsOf(describe);
      this.described.set(key, picklists);
      return picklists;
    } catch (error) {
      // Without the describe values go as mapped; Salesforce then names a bad one itself. Only a
      // failure worth retrying stops the delivery.
      if (!(error instanceof LeadstreamError) || error.retryable || error.type === 'crm_auth_error')
        throw error;
      logger.warn(
        { workflow_step: 'crm_push', object_type: objectType, error_type: error.type },
        'could not read the picklists of the object; values are sent as mapped',
      );
      return new Map();
    }
  }
}
