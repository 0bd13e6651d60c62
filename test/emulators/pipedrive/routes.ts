import type { FastifyInstance } from 'fastify';
import { type CompanyState, personView, type StoredActivity } from './company-state.js';
import type { Entity, FieldDefinition } from './field-definitions.js';
import { notFound, validationFailed } from './pipedrive-errors.js';

type Query = Record<string, string | undefined>;

const SEARCH_FIELDS = new Set(['custom_fields', 'email', 'notes', 'phone', 'name']);

function id(params: unknown): number {
  const value = Number((params as { id?: string }).id);
  if (!Number.isInteger(value) || value <= 0) throw validationFailed(["id: Expected 'integer' as value"]);
  return value;
}

function limitOf(query: Query, max: number, fallback: number): number {
  if (query.limit === undefined) return fallback;
  const limit = Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw validationFailed([`limit: Must be an integer between 1 and ${max}`]);
  }
  return limit;
}

/** Cursors are opaque to clients; here the offset, base64-encoded. */
function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const offset = Number(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw validationFailed(['cursor: Invalid cursor']);
  return offset;
}

function page<T>(items: T[], query: Query, max: number, fallback: number) {
  const limit = limitOf(query, max, fallback);
  const offset = offsetOf(query.cursor);
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(String(offset + limit)).toString('base64') : null;
  return { slice, next };
}

function v2Field(field: FieldDefinition) {
  return {
    field_name: field.name,
    field_code: field.code,
    field_type: field.type,
    is_custom_field: field.custom,
    is_optional_response_field: false,
    options: field.options.length > 0 ? field.options.map((o) => ({ id: o.id, label: o.label })) : null,
    subfields: null,
  };
}

function v1Field(field: FieldDefinition) {
  return {
    id: field.id,
    key: field.code,
    name: field.name,
    field_type: field.type,
    edit_flag: field.custom,
    active_flag: true,
    ...(field.options.length > 0 ? { options: field.options } : {}),
  };
}

/** API v2: persons (with search), deals, activities, person and deal fields, pipelines and stages. */
export function registerV2Routes(app: FastifyInstance, company: CompanyState): void {
  const ok = (data: unknown, additional?: unknown) => ({
    success: true,
    data,
    ...(additional === undefined ? {} : { additional_data: additional }),
  });

  app.get('/api/v2/persons/search', async (request) => {
    const query = request.query as Query;
    const exact = query.exact_match === 'true';
    const term = query.term ?? '';
    const problems: string[] = [];
    if (term === '') problems.push('term: Required');
    else if (term.length < (exact ? 1 : 2)) problems.push('term: Must be at least 2 characters long');
    const fields = (query.fields ?? 'custom_fields,email,notes,phone,name').split(',');
    const unknown = fields.filter((f) => !SEARCH_FIELDS.has(f));
    if (unknown.length > 0) problems.push(`fields: Invalid value '${unknown.join(',')}'`);
    if (problems.length > 0) throw validationFailed(problems);
    const found = company.searchPersons(term, fields, exact);
    const { slice, next } = page(found, query, 500, 100);
    return ok(
      {
        items: slice.map((person) => ({
          result_score: 1,
          item: {
            id: person.id,
            type: 'person',
            name: person.name,
            phones: person.phones.map((p) => p.value),
            emails: person.emails.map((e) => e.value),
            visible_to: person.visible_to,
            owner: { id: person.owner_id },
            organization: null,
            custom_fields: [],
            notes: [],
          },
        })),
      },
      { next_cursor: next },
    );
  });

  app.get('/api/v2/persons/:id', async (request) => ok(personView(company.person(id(request.params)))));
  app.post('/api/v2/persons', async (request) => ok(personView(company.createPerson(request.body))));
  app.patch('/api/v2/persons/:id', async (request) =>
    ok(personView(company.updatePerson(id(request.params), request.body))),
  );

  app.get('/api/v2/deals/:id', async (request) => ok(company.deal(id(request.params))));
  app.get('/api/v2/deals', async (request) => {
    const query = request.query as Query;
    const personId = query.person_id === undefined ? undefined : Number(query.person_id);
    const deals = [...company.deals.values()].filter(
      (d) => personId === undefined || d.person_id === personId,
    );
    const { slice, next } = page(deals, query, 500, 100);
    return ok(slice, { next_cursor: next });
  });
  app.post('/api/v2/deals', async (request) => ok(company.createDeal(request.body)));

  app.get('/api/v2/activities', async (request) => {
    const query = request.query as Query;
    const linked = (name: 'person_id' | 'deal_id') => {
      if (query[name] === undefined) return undefined;
      const value = Number(query[name]);
      if (!Number.isInteger(value) || value <= 0)
        throw validationFailed([`${name}: Expected 'integer' as value`]);
      return value;
    };
    const personId = linked('person_id');
    const dealId = linked('deal_id');
    const sortBy = query.sort_by ?? 'id';
    if (!['id', 'update_time', 'add_time', 'due_date'].includes(sortBy))
      throw validationFailed([`sort_by: Must be one of id, update_time, add_time, due_date`]);
    const direction = query.sort_direction ?? 'asc';
    if (direction !== 'asc' && direction !== 'desc')
      throw validationFailed(['sort_direction: Must be one of asc, desc']);
    const key = (a: StoredActivity) =>
      sortBy === 'due_date' ? (a.due_date ?? '') : sortBy === 'id' ? '' : a.add_time;
    const activities = [...company.activities.values()]
      .filter(
        (a) =>
          (personId === undefined || a.person_id === personId) &&
          (dealId === undefined || a.deal_id === dealId),
      )
      .sort((a, b) => key(a).localeCompare(key(b)) || a.id - b.id);
    if (direction === 'desc') activities.reverse();
    const { slice, next } = page(activities, query, 500, 100);
    return ok(slice, { next_cursor: next });
  });
  app.post('/api/v2/activities', async (request) => ok(company.createActivity(request.body)));

  for (const [path, entity] of [
    ['personFields', 'person'],
    ['dealFields', 'deal'],
  ] as Array<[string, Entity]>) {
    app.get(`/api/v2/${path}`, async (request) => {
      const { slice, next } = page(company.fields.list(entity), request.query as Query, 500, 100);
      return ok(slice.map(v2Field), { next_cursor: next });
    });
    app.get(`/api/v1/${path}`, async (request) => {
      const query = request.query as Query;
      const start = Number(query.start ?? 0);
      const limit = Number(query.limit ?? 100);
      const all = company.fields.list(entity);
      return ok(all.slice(start, start + limit).map(v1Field), {
        pagination: { start, limit, more_items_in_collection: start + limit < all.length },
      });
    });
  }

  app.get('/api/v2/pipelines/:id', async (request) => {
    const pipeline = company.options.pipelines.find((p) => p.id === id(request.params));
    if (!pipeline) throw notFound('Pipeline');
    return ok(pipeline);
  });
  app.get('/api/v2/stages/:id', async (request) => {
    const stage = company.options.stages.find((s) => s.id === id(request.params));
    if (!stage) throw notFound('Stage');
    return ok(stage);
  });
}

/** API v1: `GET /users/me` (the guide's connectivity test) and call logs, which exist on v1 only. */
export function registerV1Routes(app: FastifyInstance, company: CompanyState): void {
  app.get('/api/v1/users/me', async () => {
    const user = company.options.users[0];
    return {
      success: true,
      data: {
        ...user,
        company_id: company.options.companyId,
        company_name: company.options.companyName,
        company_domain: company.options.companyDomain,
        active_flag: true,
        is_admin: 1,
      },
    };
  });
  app.post('/api/v1/callLogs', async (request) => ({
    success: true,
    data: company.createCallLog(request.body),
  }));
}
