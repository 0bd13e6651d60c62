import type { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { DuplicateRule } from '../../events/crm-command.js';
import { nationalDigits } from '../../identity/phone-identity.js';
import type { Logger } from '../../observability/logger.js';
import type { Clock } from '../../time/clock.js';
import type { RequestGates } from '../rate-limits/search-rate-limits.js';
import {
  type MatchField,
  matchFieldsOf,
  normalizeMatchValue,
  type RecentMatches,
} from '../recent-matches.js';
import { callHubSpot, existingIdOf } from './error-classification.js';

export interface ContactUpsertDeps {
  client: Client;
  tenantId: string;
  recent: RecentMatches<string>;
  clock: Clock;
  timeoutMs: number;
  logger: Logger;
  gates?: RequestGates;
}

export interface ContactResult {
  id: string;
  action: 'created' | 'updated' | 'skipped';
}

function matchValues(properties: Record<string, string>): Partial<Record<MatchField, string>> {
  return { phone: properties.phone, email: properties.email };
}

function isNotFound(error: unknown): boolean {
  return error instanceof LeadstreamError && error.type === 'crm_not_found';
}

/**
 * Finds the contact a lead belongs to and makes it carry the lead's properties, or creates it.
 * Order: a contact this process wrote lately (search lags writes), then search on the configured
 * match fields in order, then create; a 409 on create names the contact HubSpot already has by email.
 */
export class ContactUpsert {
  constructor(private readonly deps: ContactUpsertDeps) {}

  private call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return callHubSpot(operation, run, {
      clock: this.deps.clock,
      timeoutMs: this.deps.timeoutMs,
      objectType: 'contacts',
      gate: operation === 'contacts.search' ? this.deps.gates?.search : this.deps.gates?.request,
    });
  }

  /**
   * `knownId` is a contact an earlier delivery of the same command created; it wins over matching,
   * so a redelivery updates that contact even when duplicate detection is off.
   */
  async upsert(
    properties: Record<string, string>,
    rule: DuplicateRule | null,
    knownId?: string,
  ): Promise<ContactResult> {
    const skip = rule?.action === 'skip';
    const fields = matchFieldsOf(rule, (field) => properties[field]);
    const { tenantId, recent } = this.deps;

    const remembered =
      knownId ?? fields.map((f) => recent.get(tenantId, f, properties[f] ?? '')).find(Boolean);
    if (remembered) {
      const result = await this.applyTo(remembered, properties, skip);
      if (result) return result;
      recent.forget(tenantId, remembered, matchValues(properties));
    }

    if (fields.length === 1 && fields[0] === 'email' && !skip) return this.upsertByEmail(properties);

    if (fields.length > 0) {
      const found = await this.search(fields, properties);
      if (found) {
        const result = await this.applyTo(found, properties, skip);
        if (result) return result;
      }
    }
    return this.create(properties, skip);
  }

  /** Updates (or leaves alone, for `skip`) a matched contact; undefined when HubSpot no longer has it. */
  private async applyTo(
    id: string,
    properties: Record<string, string>,
    skip: boolean,
  ): Promise<ContactResult | undefined> {
    if (skip) {
      this.deps.recent.remember(this.deps.tenantId, id, matchValues(properties));
      return { id, action: 'skipped' };
    }
    try {
      await this.update(id, properties);
      return { id, action: 'updated' };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async update(id: string, properties: Record<string, string>): Promise<void> {
    const { client, tenantId, recent, logger } = this.deps;
    try {
      await this.call('contacts.update', () => client.crm.contacts.basicApi.update(id, { properties }));
    } catch (error) {
      const owner = existingIdOf(error);
      if (owner === undefined || properties.email === undefined) throw error;
      // The phone matched this contact but the email belongs to another one (HubSpot keeps emails
      // unique): keep the call on the phone's contact and leave the email where HubSpot has it.
      logger.warn(
        { contact_id: id, email_owner_id: owner },
        'lead email already belongs to another HubSpot contact; updating without it',
      );
      const { email: _email, ...rest } = properties;
      await this.call('contacts.update', () => client.crm.contacts.basicApi.update(id, { properties: rest }));
    }
    recent.remember(tenantId, id, matchValues(properties));
  }

  private async search(
    fields: MatchField[],
    properties: Record<string, string>,
  ): Promise<string | undefined> {
    const { client } = this.deps;
    // Filter groups are OR-ed, so one request covers every field (search allows a few calls a second).
    // Phone matches on HubSpot's national-digits properties as well as on the raw value: a contact
    // typed in by a salesperson as "(512) 555-0143" is the caller of "+15125550143".
    const eq = (propertyName: string, value: string) => ({
      filters: [{ propertyName, operator: FilterOperatorEnum.Eq, value }],
    });
    const filterGroups = fields.flatMap((f) => {
      const value = properties[f] ?? '';
      if (f === 'email') return [eq('email', value)];
      const digits = nationalDigits(value);
      return [
        eq('phone', value),
        eq('hs_searchable_calculated_phone_number', digits),
        eq('hs_searchable_calculated_mobile_number', digits),
      ];
    });
    const page = await this.call('contacts.search', () =>
      client.crm.contacts.searchApi.doSearch({
        filterGroups,
        properties: ['phone', 'mobilephone', 'email'],
        limit: 100,
      }),
    );
    for (const field of fields) {
      const wanted = normalizeMatchValue(field, properties[field] ?? '');
      const stored = field === 'email' ? ['email'] : ['phone', 'mobilephone'];
      const ids = page.results
        .filter((r) => stored.some((name) => normalizeMatchValue(field, r.properties[name] ?? '') === wanted))
        .map((r) => r.id)
        .sort((a, b) => Number(a) - Number(b));
      if (ids[0] !== undefined) return ids[0];
    }
    return undefined;
  }

  /** Email is HubSpot's unique key, so one batch upsert finds-or-creates without touching the lagging index. */
  private async upsertByEmail(properties: Record<string, string>): Promise<ContactResult> {
    const { client, tenantId, recent } = this.deps;
    const email = properties.email ?? '';
    const answer = await this.call('contacts.batchUpsert', () =>
      client.crm.contacts.batchApi.upsert({ inputs: [{ id: email, idProperty: 'email', properties }] }),
    );
    const result = answer.results[0];
    if (!result) {
      throw new LeadstreamError('crm_unavailable', 'HubSpot answered a contact upsert without a result', {
        details: { operation: 'contacts.batchUpsert' },
      });
    }
    recent.remember(tenantId, result.id, matchValues(properties));
    return { id: result.id, action: result._new ? 'created' : 'updated' };
  }

  private async create(properties: Record<string, string>, skip: boolean): Promise<ContactResult> {
    const { client, tenantId, recent } = this.deps;
    try {
      const created = await this.call('contacts.create', () =>
        client.crm.contacts.basicApi.create({ properties, associations: [] }),
      );
      recent.remember(tenantId, created.id, matchValues(properties));
      return { id: created.id, action: 'created' };
    } catch (error) {
      const existing = existingIdOf(error);
      if (existing === undefined) throw error;
      const result = await this.applyTo(existing, properties, skip);
      if (!result) throw error;
      return result;
    }
  }
}
