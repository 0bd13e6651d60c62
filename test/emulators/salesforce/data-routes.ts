import type { FastifyInstance, FastifyRequest } from 'fastify';
import { describeBody } from './object-definitions.js';
import type { OrgState } from './org-state.js';
import { restError, SalesforceHttpError } from './salesforce-errors.js';

export interface DataContext {
  org: OrgState;
  /** `62.0` for a request to /services/data/v62.0/... */
  apiVersion(request: FastifyRequest): string;
  limits(): { used: number; max: number };
}

type ObjectParams = { version: string; object: string };
type RecordParams = ObjectParams & { id: string };

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** REST applies the active assignment rule unless `Sforce-Auto-Assign: FALSE`. */
export function autoAssign(request: FastifyRequest): boolean {
  return header(request, 'sforce-auto-assign')?.toUpperCase() !== 'FALSE';
}

function allowDuplicates(request: FastifyRequest): boolean {
  return /allowSave\s*=\s*true/i.test(header(request, 'sforce-duplicate-rule-header') ?? '');
}

/** A collection entry's error: sObject Collections name the code `statusCode`. */
function collectionErrors(error: unknown): Array<{ statusCode: string; message: string; fields: string[] }> {
  if (error instanceof SalesforceHttpError && Array.isArray(error.body)) {
    return error.body.map((e) => ({ statusCode: e.errorCode, message: e.message, fields: e.fields ?? [] }));
  }
  throw error;
}

/** The REST resources under /services/data/vXX.X of the objects the emulator knows (Lead, Task). */
export function registerDataRoutes(app: FastifyInstance, ctx: DataContext): void {
  const { org } = ctx;

  app.get('/services/data/:version/limits', async () => {
    const { used, max } = ctx.limits();
    return { DailyApiRequests: { Max: max, Remaining: Math.max(0, max - used) } };
  });

  app.get('/services/data/:version/sobjects', async (request) => ({
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [...org.objects.values()].map((o) => ({
      name: o.name,
      label: o.label,
      keyPrefix: o.keyPrefix,
      createable: true,
      queryable: true,
      urls: { sobject: `/services/data/v${ctx.apiVersion(request)}/sobjects/${o.name}` },
    })),
  }));

  app.get<{ Params: ObjectParams }>('/services/data/:version/sobjects/:object/describe', async (request) =>
    describeBody(org.object(request.params.object), ctx.apiVersion(request)),
  );

  app.post<{ Params: ObjectParams }>('/services/data/:version/sobjects/:object', async (request, reply) => {
    const apiVersion = ctx.apiVersion(request);
    const record = org.create(request.params.object, request.body, {
      autoAssign: autoAssign(request),
      allowDuplicates: allowDuplicates(request),
      apiVersion,
    });
    return reply
      .code(201)
      .header('location', `/services/data/v${apiVersion}/sobjects/${record.type}/${record.Id}`)
      .send({ id: record.Id, success: true, errors: [] });
  });

  app.get<{ Params: RecordParams; Querystring: { fields?: string } }>(
    '/services/data/:version/sobjects/:object/:id',
    async (request) => {
      const object = org.object(request.params.object);
      const record = org.get(object.name, request.params.id);
      const wanted = request.query.fields?.split(',').map((f) => f.trim()) ?? [...object.fields.keys()];
      for (const name of wanted) {
        if (!object.fields.has(name))
          throw restError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${object.name}'`);
      }
      return {
        attributes: {
          type: object.name,
          url: `/services/data/v${ctx.apiVersion(request)}/sobjects/${object.name}/${record.Id}`,
        },
        ...Object.fromEntries(wanted.map((name) => [name, record.fields[name] ?? null])),
      };
    },
  );

  app.patch<{ Params: RecordParams }>(
    '/services/data/:version/sobjects/:object/:id',
    async (request, reply) => {
      org.update(request.params.object, request.params.id, request.body, { autoAssign: autoAssign(request) });
      return reply.code(204).send();
    },
  );

  /**
   * sObject Rows by External ID (upsert): 201 `{id, success, errors, created: true}` for a new record;
   * for an updated one 200 with `created: false` from API version 46.0, 204 before; 300 with the
   * matching records' URLs when the value is not unique; 404 NOT_FOUND when the field is no external id.
   */
  app.patch<{ Params: ObjectParams & { field: string; value: string } }>(
    '/services/data/:version/sobjects/:object/:field/:value',
    async (request, reply) => {
      const apiVersion = ctx.apiVersion(request);
      const outcome = org.upsert(
        request.params.object,
        request.params.field,
        request.params.value,
        request.body,
        {
          autoAssign: autoAssign(request),
          allowDuplicates: allowDuplicates(request),
          apiVersion,
        },
      );
      if (outcome.kind === 'multiple') {
        const type = org.object(request.params.object).name;
        return reply
          .code(300)
          .send(outcome.ids.map((id) => `/services/data/v${apiVersion}/sobjects/${type}/${id}`));
      }
      const { record, created } = outcome;
      const answersCreated = Number(apiVersion) >= 46;
      if (!created && !answersCreated) return reply.code(204).send();
      const body = {
        id: record.Id,
        success: true,
        errors: [],
        ...(answersCreated ? { created } : {}),
      };
      if (!created) return reply.code(200).send(body);
      return reply
        .code(201)
        .header('location', `/services/data/v${apiVersion}/sobjects/${record.type}/${record.Id}`)
        .send(body);
    },
  );

  const query = async (request: FastifyRequest<{ Querystring: { q?: string } }>) => {
    const soql = request.query.q;
    if (soql === undefined || soql.trim() === '')
      throw restError(400, 'MALFORMED_QUERY', 'SOQL statement cannot be empty');
    return org.query(soql, ctx.apiVersion(request));
  };
  app.get('/services/data/:version/query', query);
  app.get('/services/data/:version/queryAll', query);

  /** sObject Collections: up to 200 records, one result per record, all-or-none on request. */
  const collection = (mode: 'create' | 'update') => async (request: FastifyRequest) => {
    const body = (request.body ?? {}) as { allOrNone?: unknown; records?: unknown };
    if (!Array.isArray(body.records)) throw restError(400, 'INVALID_FIELD', 'records is required');
    if (body.records.length > 200) {
      throw restError(
        400,
        'EXCEEDED_ID_LIMIT',
        'record limit reached. cannot submit more than 200 records into this call',
      );
    }
    const allOrNone = body.allOrNone === true;
    const before = org.snapshot();
    const results = body.records.map((item: unknown) => {
      const { attributes, Id, ...fields } = (item ?? {}) as { attributes?: { type?: string }; Id?: string };
      try {
        const type = attributes?.type;
        if (typeof type !== 'string')
          throw restError(400, 'INVALID_TYPE', 'sObject type must be specified in attributes');
        if (mode === 'create') {
          const record = org.create(type, fields, {
            autoAssign: autoAssign(request),
            allowDuplicates: allowDuplicates(request),
            apiVersion: ctx.apiVersion(request),
          });
          return { id: record.Id, success: true, errors: [] };
        }
        if (typeof Id !== 'string')
          throw restError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call');
        org.update(type, Id, fields, { autoAssign: autoAssign(request) });
        return { id: Id, success: true, errors: [] };
      } catch (error) {
        return { success: false, errors: collectionErrors(error) };
      }
    });
    if (allOrNone && results.some((r) => !r.success)) {
      org.restore(
        before,
        results.flatMap((r) => (r.success && typeof r.id === 'string' ? [r.id] : [])),
      );
      return results.map((r) =>
        r.success
          ? {
              success: false,
              errors: [
                {
                  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                  message:
                    'Record rolled back because not all records were valid and the request was using AllOrNone header',
                  fields: [],
                },
              ],
            }
          : r,
      );
    }
    return results;
  };
  app.post('/services/data/:version/composite/sobjects', collection('create'));
  app.patch('/services/data/:version/composite/sobjects', collection('update'));
}
