import { LRUCache } from 'lru-cache';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import { optionKey } from '../../identity/option-match.js';
import type { PipedriveClient } from './client-factory.js';
import {
  type FieldDefinition,
  type FieldEntity,
  type FieldValue,
  fieldValue,
  type Scalar,
} from './field-values.js';

/** One page of `GET /api/v2/personFields` or `dealFields`, as both SDK methods answer it. */
interface FieldsPage {
  data?: Array<{
    field_code: string;
    field_name: string;
    field_type: string;
    is_custom_field: boolean;
    options?: Array<{ id?: number | string; label?: string }> | null;
  }>;
  additional_data?: { next_cursor?: string | null };
}

/** Runs one Pipedrive call through the tenant's gate and error classification. */
export type PipedriveCall = <T>(operation: string, run: () => Promise<T>) => Promise<T>;

interface CachedFields {
  fields: FieldDefinition[];
  fetchedAt: number;
}

const PAGE_SIZE = 500;

function definitionsOf(page: FieldsPage): FieldDefinition[] {
  return (page.data ?? []).map((field) => ({
    code: field.field_code,
    name: field.field_name,
    type: field.field_type,
    custom: field.is_custom_field,
    options: (field.options ?? []).flatMap((o) =>
      o.id === undefined || o.label === undefined ? [] : [{ id: o.id, label: o.label }],
    ),
  }));
}

/**
 * The custom field a configured name means: its key itself, its name ignoring case, or its name
 * ignoring case and punctuation ("AI Lead Score" for `ai_lead_score`) when only one field fits.
 */
export function findField(fields: FieldDefinition[], configured: string): FieldDefinition | undefined {
  const custom = fields.filter((f) => f.custom);
  const exact =
    custom.find((f) => f.code === configured) ??
    custom.find((f) => f.name.toLowerCase() === configured.toLowerCase());
  if (exact) return exact;
  const loose = custom.filter((f) => optionKey(f.name) === optionKey(configured));
  return loose.length === 1 ? loose[0] : undefined;
}

/**
 * Custom fields of each tenant's Pipedrive, by entity, cached: their keys are random 40-character
 * hashes, different in every company, so configured names are resolved here. A name the cache does
 * not know refreshes it once (a field created since), at most once a minute per tenant and entity;
 * a name still unknown is a permanent field_mapping_error naming it.
 */
export class FieldCatalog {
  private readonly cache: LRUCache<string, CachedFields>;
  private readonly inFlight = new Map<string, Promise<CachedFields>>();
  private readonly minRefreshMs: number;

  constructor(
    private readonly now: () => number = Date.now,
    options: { ttlMs?: number; max?: number; minRefreshMs?: number } = {},
  ) {
    this.cache = new LRUCache({ max: options.max ?? 10_000, ttl: options.ttlMs ?? 15 * 60_000 });
    this.minRefreshMs = options.minRefreshMs ?? 60_000;
  }

  /**
   * Mapped values by configured field name → the v2 `custom_fields` object by field key. Null and
   * empty values are left out: a call that did not capture something must not erase what the CRM has.
   */
  async resolve(request: {
    client: PipedriveClient;
    tenantId: string;
    entity: FieldEntity;
    values: Record<string, Scalar>;
    currency: string;
    call: PipedriveCall;
  }): Promise<Record<string, FieldValue>> {
    const { entity, values, currency } = request;
    const wanted = Object.entries(values).filter(
      (entry): entry is [string, Exclude<Scalar, null>] => entry[1] !== null && entry[1] !== '',
    );
    if (wanted.length === 0) return {};
    let fields = await this.fields(request, false);
    if (wanted.some(([name]) => !findField(fields.fields, name))) {
      fields = await this.fields(request, true);
    }
    const resolved: Record<string, FieldValue> = {};
    for (const [name, value] of wanted) {
      const field = findField(fields.fields, name);
      if (!field) {
        throw new LeadstreamError(
          'field_mapping_error',
          `custom field ${name} does not exist in Pipedrive ${entity} fields: create it in Pipedrive or fix the tenant's mapping`,
          { details: { field: name, entity } },
        );
      }
      resolved[field.code] = fieldValue(field, name, entity, value, currency);
    }
    return resolved;
  }

  /** The person or deal fields of a tenant's company, from the cache when it has them. */
  async definitions(request: {
    client: PipedriveClient;
    tenantId: string;
    entity: FieldEntity;
    call: PipedriveCall;
  }): Promise<FieldDefinition[]> {
    return (await this.fields(request, false)).fields;
  }

  /** Drops a tenant's cached fields, so that the next delivery reads them anew. */
  forget(tenantId: string): void {
    for (const entity of ['person', 'deal'] as const) this.cache.delete(`${tenantId}\u0000${entity}`);
  }

  private async fields(
    request: { client: PipedriveClient; tenantId: string; entity: FieldEntity; call: PipedriveCall },
    refresh: boolean,
  ): Promise<CachedFields> {
    const key = `${request.tenantId}\u0000${request.entity}`;
    const cached = this.cache.get(key);
    if (cached && (!refresh || this.now() - cached.fetchedAt < this.minRefreshMs)) return cached;
    const running = this.inFlight.get(key);
    if (running) return running;
    const fetching = this.fetchAll(request).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, fetching);
    const fetched = await fetching;
    this.cache.set(key, fetched);
    return fetched;
  }

  private async fetchAll(request: {
    client: PipedriveClient;
    entity: FieldEntity;
    call: PipedriveCall;
  }): Promise<CachedFields> {
    const { client, entity, call } = request;
    const fields: FieldDefinition[] = [];
    let cursor: string | undefined;
    do {
      const page: FieldsPage =
        entity === 'person'
          ? await call('personFields.list', () =>
              client.personFields.getPersonFields({ limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
            )
          : await call('dealFields.list', () =>
              client.dealFields.getDealFields({ limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
            );
      fields.push(...definitionsOf(page));
      cursor = page.additional_data?.next_cursor ?? undefined;
    } while (cursor);
    return { fields, fetchedAt: this.now() };
  }
}
