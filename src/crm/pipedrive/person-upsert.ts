import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { DuplicateRule } from '../../events/crm-command.js';
import { nationalDigits } from '../../identity/phone-identity.js';
import type { Logger } from '../../observability/logger.js';
import {
  type MatchField,
  matchFieldsOf,
  normalizeMatchValue,
  type RecentMatches,
} from '../recent-matches.js';
import type { PipedriveClient } from './client-factory.js';
import type { PipedriveCall } from './field-catalog.js';
import type { FieldValue } from './field-values.js';
import type { PersonWrite } from './person-fields.js';

export interface PersonUpsertDeps {
  client: PipedriveClient;
  tenantId: string;
  recent: RecentMatches<number>;
  logger: Logger;
  /** Runs a call through the tenant's general gate and error classification. */
  call: PipedriveCall;
  /** The same for search calls, which have a tighter limit of their own. */
  searchCall: PipedriveCall;
  /** Upserts under way in this process, by tenant and caller: the adapter's, shared by its deliveries. */
  running: Map<string, Promise<unknown>>;
}

export interface PersonResult {
  id: number;
  action: 'created' | 'updated' | 'skipped';
}

interface ContactItem {
  value?: string;
  primary?: boolean;
  label?: string;
}

/** What a search hit tells of a person's phones and emails (values only). */
interface KnownValues {
  phones: string[];
  emails: string[];
}

const isNotFound = (error: unknown) => error instanceof LeadstreamError && error.type === 'crm_not_found';

/** Adds a value to a phone or email list unless it is there in another spelling. */
function withValue(
  field: MatchField,
  items: ContactItem[],
  value: string,
  label: string,
): ContactItem[] | undefined {
  const wanted = normalizeMatchValue(field, value);
  if (items.some((item) => normalizeMatchValue(field, item.value ?? '') === wanted)) return undefined;
  const kept = items.map((item) => ({
    value: item.value ?? '',
    primary: item.primary === true,
    ...(item.label ? { label: item.label } : {}),
  }));
  return [...kept, { value, primary: kept.length === 0, label }];
}

/**
 * Finds the person a lead belongs to and makes it carry the lead's data, or creates it. Order: a
 * person this process wrote lately (search lags writes), then search on each match field in order (a
 * match is the same email, or the same national phone number however typed), then create. Deliveries for one caller in this process run one after another, so two calls
 * from one number in quick succession give one person.
 */
export class PersonUpsert {
  constructor(private readonly deps: PersonUpsertDeps) {}

  /**
   * `knownId` is a person an earlier delivery of the same command created; it wins over matching.
   * `custom` holds the resolved custom field values by key.
   */
  async upsert(
    write: PersonWrite,
    custom: Record<string, FieldValue>,
    rule: DuplicateRule | null,
    knownId?: number,
  ): Promise<PersonResult> {
    const fields = matchFieldsOf(rule, (field) => write[field]);
    const lockKey = fields.map((f) => `${f}:${normalizeMatchValue(f, write[f] ?? '')}`)[0];
    if (lockKey === undefined) return this.find(write, custom, rule, fields, knownId);
    const key = `${this.deps.tenantId}\u0000${lockKey}`;
    const previous = this.deps.running.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.find(write, custom, rule, fields, knownId));
    this.deps.running.set(key, run);
    try {
      return await run;
    } finally {
      if (this.deps.running.get(key) === run) this.deps.running.delete(key);
    }
  }

  private async find(
    write: PersonWrite,
    custom: Record<string, FieldValue>,
    rule: DuplicateRule | null,
    fields: MatchField[],
    knownId: number | undefined,
  ): Promise<PersonResult> {
    const { tenantId, recent } = this.deps;
    const skip = rule?.action === 'skip';
    const remembered = knownId ?? fields.map((f) => recent.get(tenantId, f, write[f] ?? '')).find(Boolean);
    const matched = (result: PersonResult, by: string) => {
      this.deps.logger.debug(
        { workflow_step: 'crm_push', person_id: result.id, matched_by: by, status: result.action },
        'Pipedrive person matched',
      );
      return result;
    };
    if (remembered !== undefined) {
      const result = await this.applyTo(remembered, write, custom, skip, undefined);
      if (result) return matched(result, knownId === undefined ? 'recent_write' : 'earlier_delivery');
      recent.forget(tenantId, remembered, { phone: write.phone, email: write.email });
    }
    for (const field of fields) {
      const hit = await this.search(field, write[field] ?? '');
      if (hit) {
        const result = await this.applyTo(hit.id, write, custom, skip, hit.known);
        if (result) return matched(result, field);
      }
    }
    return this.create(write, custom);
  }

  private remember(id: number, write: PersonWrite): void {
    this.deps.recent.remember(this.deps.tenantId, id, { phone: write.phone, email: write.email });
  }

  /**
   * The oldest person with this email, or this phone number however it was typed. A phone is first
   * searched exactly as the call brings it (as leadstream writes it), then by its national digits
   * (a salesperson may have typed "(512) 555-0143"); exactness is checked on the answer either way.
   */
  private async search(
    field: MatchField,
    value: string,
  ): Promise<{ id: number; known: KnownValues } | undefined> {
    const attempts: Array<{ term: string; exact: boolean }> =
      field === 'email'
        ? [{ term: value, exact: true }]
        : [
            { term: value, exact: true },
            { term: nationalDigits(value), exact: false },
          ];
    for (const { term, exact } of attempts) {
      if (term.length < 2) continue;
      const found = await this.searchOnce(field, value, term, exact);
      if (found) return found;
    }
    return undefined;
  }

  private async searchOnce(
    field: MatchField,
    value: string,
    term: string,
    exact: boolean,
  ): Promise<{ id: number; known: KnownValues } | undefined> {
    const { client, searchCall } = this.deps;
    const answer = await searchCall('persons.search', () =>
      client.persons.searchPersons({ term, fields: field, exact_match: exact, limit: 100 }),
    );
    const wanted = normalizeMatchValue(field, value);
    const hits = (answer.data?.items ?? [])
      .map((entry) => entry.item)
      .filter((item) => item?.id !== undefined)
      .filter((item) =>
        (field === 'phone' ? item?.phones : item?.emails)?.some(
          (v) => normalizeMatchValue(field, v) === wanted,
        ),
      )
      .sort((a, b) => (a?.id ?? 0) - (b?.id ?? 0));
    const first = hits[0];
    if (first?.id === undefined) return undefined;
    return { id: first.id, known: { phones: first.phones ?? [], emails: first.emails ?? [] } };
  }

  /** Updates (or leaves alone, for `skip`) a matched person; undefined when Pipedrive no longer has it. */
  private async applyTo(
    id: number,
    write: PersonWrite,
    custom: Record<string, FieldValue>,
    skip: boolean,
    known: KnownValues | undefined,
  ): Promise<PersonResult | undefined> {
    if (skip) {
      this.remember(id, write);
      return { id, action: 'skipped' };
    }
    try {
      const lists = await this.contactLists(id, write, known);
      // The name and owner stay as the company has them: a salesperson may have corrected the
      // caller-ID name or taken the person over since the first call.
      const body = {
        ...lists,
        ...(write.postal_address ? { postal_address: write.postal_address } : {}),
        ...(Object.keys(custom).length > 0 ? { custom_fields: custom } : {}),
      };
      if (Object.keys(body).length === 0) {
        this.remember(id, write);
        return { id, action: 'skipped' };
      }
      const { client, call } = this.deps;
      await call('persons.update', () => client.persons.updatePerson({ id, UpdatePersonRequest: body }));
      this.remember(id, write);
      return { id, action: 'updated' };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * The phones and emails to send: v2 replaces the whole list, so a new number or address is added
   * to the person's own list (read first) rather than sent alone; nothing when both are there already.
   */
  private async contactLists(
    id: number,
    write: PersonWrite,
    known: KnownValues | undefined,
  ): Promise<{ phones?: ContactItem[]; emails?: ContactItem[] }> {
    const has = (field: MatchField, values: string[]) =>
      values.some((v) => normalizeMatchValue(field, v) === normalizeMatchValue(field, write[field] ?? ''));
    const needsPhone = write.phone !== undefined && !(known && has('phone', known.phones));
    const needsEmail = write.email !== undefined && !(known && has('email', known.emails));
    if (!needsPhone && !needsEmail) return {};
    const { client, call } = this.deps;
    const person = await call('persons.get', () => client.persons.getPerson({ id }));
    const phones =
      write.phone === undefined
        ? undefined
        : withValue('phone', person.data?.phones ?? [], write.phone, 'mobile');
    const emails =
      write.email === undefined
        ? undefined
        : withValue('email', person.data?.emails ?? [], write.email, 'work');
    return { ...(phones ? { phones } : {}), ...(emails ? { emails } : {}) };
  }

  private async create(write: PersonWrite, custom: Record<string, FieldValue>): Promise<PersonResult> {
    const { client, call } = this.deps;
    const body = {
      // Pipedrive refuses a person without a name; the number is what the salesperson has.
      name: write.name ?? write.phone ?? write.email ?? 'New lead',
      ...(write.owner_id === null ? {} : { owner_id: write.owner_id }),
      ...(write.phone ? { phones: [{ value: write.phone, primary: true, label: 'mobile' }] } : {}),
      ...(write.email ? { emails: [{ value: write.email, primary: true, label: 'work' }] } : {}),
      ...(write.postal_address ? { postal_address: write.postal_address } : {}),
      ...(Object.keys(custom).length > 0 ? { custom_fields: custom } : {}),
    };
    const created = await call('persons.add', () => client.persons.addPerson({ AddPersonRequest: body }));
    const id = created.data?.id;
    if (id === undefined) {
      throw new LeadstreamError('crm_unavailable', 'Pipedrive answered a person create without an id', {
        details: { operation: 'persons.add' },
      });
    }
    this.remember(id, write);
    return { id, action: 'created' };
  }
}
