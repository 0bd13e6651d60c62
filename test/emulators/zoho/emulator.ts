import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { listenLocally } from '../listen.js';
import { CallRecords } from './call-records.js';
import { LEAD_FIELDS, ModuleRecords, type RecordResult, type StoredRecord } from './module-records.js';
import { authenticationFailure, invalidToken, ZohoHttpError, zohoError } from './zoho-errors.js';

export interface ZohoClient {
  clientId: string;
  clientSecret: string;
  refreshTokens: string[];
  /** Scopes granted to its tokens (ZohoCRM.modules.ALL and ZohoCRM.settings.ALL by default). */
  scopes?: string[];
}

export interface ZohoEmulatorOptions {
  port?: number;
  host?: string;
  clients: ZohoClient[];
  /** Seconds an access token lives (3600 as at Zoho). */
  tokenLifetimeSeconds?: number;
  /** Access tokens one refresh token may get per ten minutes before the accounts server refuses. */
  tokensPerTenMinutes?: number;
  /** API versions served (v2 to v8). */
  versions?: number[];
  now?: () => number;
}

export interface UpsertRequestLogEntry {
  path: string;
  body: unknown;
  status: number;
}

export interface ZohoEmulator {
  /** Both the accounts server and the api_domain its tokens name. */
  url: string;
  leads: ModuleRecords;
  records(): StoredRecord[];
  /** The Calls module's records, in the order they were inserted. */
  calls(): StoredRecord[];
  upsertRequests: UpsertRequestLogEntry[];
  /** Paths with query of the search requests, in order. */
  searchRequests: string[];
  tokenRequests(): number;
  /** Every access token issued so far is refused from now on (INVALID_TOKEN), as after a revocation. */
  expireTokens(): void;
  /** The next n API requests answer 429 TOO_MANY_REQUESTS. */
  rateLimitNext(n: number, retryAfterSeconds?: number): void;
  /** The next n API requests fail with this status (500 INTERNAL_ERROR, 502 an HTML page). */
  failNext(n: number, status?: number): void;
  stop(): Promise<void>;
}

const TRIGGERS = new Set(['workflow', 'approval', 'blueprint', 'pathfinder', 'orchestration']);
const MAX_RECORDS = 100;

type Fault = { kind: 'rate'; retryAfterSeconds: number | undefined } | { kind: 'status'; status: number };

function sendFault(reply: FastifyReply, fault: Fault) {
  if (fault.kind === 'rate') {
    if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds));
    return reply
      .code(429)
      .send(zohoError('TOO_MANY_REQUESTS', 'The number of concurrent requests has exceeded the limit'));
  }
  if (fault.status === 502)
    return reply.code(502).type('text/html').send('<html><body>502 Bad Gateway</body></html>');
  return reply.code(fault.status).send(zohoError('INTERNAL_ERROR', 'Internal Server Error'));
}

function param(request: FastifyRequest, name: string): string | undefined {
  const fromBody = (request.body as Record<string, unknown> | undefined)?.[name];
  const fromQuery = (request.query as Record<string, unknown>)[name];
  const value = fromBody ?? fromQuery;
  return typeof value === 'string' ? value : undefined;
}

/**
 * A stateful stand-in for a Zoho CRM account and its data centre's accounts server: the refresh-token
 * grant (invalid_code / invalid_client answered with 200 as Zoho does, and its throttle on too many
 * token requests), `Zoho-oauthtoken` authentication, Leads upsert with duplicate_check_fields and
 * trigger, per-record results (200 all good, 207 mixed, 400 all failed), search by phone or email
 * (204 with no body when nothing matches), Calls inserts (see CallRecords), the Leads module's records
 * newest first and a lead's Calls related list (only the fields asked for, 204 when there are none),
 * 429 and 5xx on demand.
 */
export async function startZohoEmulator(options: ZohoEmulatorOptions): Promise<ZohoEmulator> {
  const now = options.now ?? Date.now;
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const perTenMinutes = options.tokensPerTenMinutes ?? 10;
  const versions = new Set(options.versions ?? [2, 3, 4, 5, 6, 7, 8]);
  const leads = new ModuleRecords('Leads', LEAD_FIELDS);
  const calls = new CallRecords(leads);
  const tokens = new Map<string, { expiresAt: number; revoked: boolean; scopes: string[] }>();
  const issuedAt = new Map<string, number[]>();
  const faults: Fault[] = [];
  const upsertRequests: UpsertRequestLogEntry[] = [];
  const searchRequests: string[] = [];
  let tokenRequests = 0;
  let url = '';

  const app = Fastify({ logger: false });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof ZohoHttpError) return reply.code(error.statusCode).send(error.body);
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status < 500)
      return reply.code(400).send(zohoError('INVALID_DATA', 'the json is not valid', {}));
    return reply.code(500).send(zohoError('INTERNAL_ERROR', 'Internal Server Error'));
  });

  app.post('/oauth/v2/token', async (request, reply) => {
    tokenRequests += 1;
    if (param(request, 'grant_type') !== 'refresh_token')
      return reply.send({ error: 'unsupported_grant_type' });
    const client = options.clients.find((c) => c.clientId === param(request, 'client_id'));
    if (!client || client.clientSecret !== param(request, 'client_secret'))
      return reply.send({ error: 'invalid_client' });
    const refreshToken = param(request, 'refresh_token') ?? '';
    if (!client.refreshTokens.includes(refreshToken)) return reply.send({ error: 'invalid_code' });
    const recent = (issuedAt.get(refreshToken) ?? []).filter((at) => at > now() - 10 * 60_000);
    if (recent.length >= perTenMinutes) {
      return reply.code(400).send({
        error_description: 'You have made too many requests continuously. Please try again after some time.',
        error: 'Access Denied',
        status: 'failure',
      });
    }
    issuedAt.set(refreshToken, [...recent, now()]);
    const accessToken = `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
    const scopes = client.scopes ?? ['ZohoCRM.modules.ALL', 'ZohoCRM.settings.ALL'];
    tokens.set(accessToken, { expiresAt: now() + lifetime * 1000, revoked: false, scopes });
    return reply.send({
      access_token: accessToken,
      scope: scopes.join(' '),
      api_domain: url,
      token_type: 'Bearer',
      expires_in: lifetime,
    });
  });

  /** The token of a CRM API request, refused as Zoho refuses it; its scopes otherwise. */
  const authenticate = (request: FastifyRequest): string[] => {
    const match = /^Zoho-oauthtoken (\S+)$/.exec(request.headers.authorization ?? '');
    if (!match) throw authenticationFailure();
    const token = tokens.get(match[1] ?? '');
    if (!token || token.revoked || token.expiresAt <= now()) throw invalidToken();
    return token.scopes;
  };
  const servedVersion = (version: string) => {
    const number = /^v(\d+)$/.exec(version)?.[1];
    return number !== undefined && versions.has(Number(number));
  };
  const scopeMismatch = () =>
    new ZohoHttpError(401, zohoError('OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL'));
  const wrongUrl = () =>
    zohoError('INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
  /** A read below /crm/{version}/{module}: Zoho's refusal of a version it does not serve or a module not Leads. */
  const refusedLeadsPath = (reply: FastifyReply, version: string, module: string) => {
    if (!servedVersion(version)) return reply.code(404).send(wrongUrl());
    if (module !== leads.apiName)
      return reply.code(400).send(
        zohoError('INVALID_MODULE', 'the module name given seems to be invalid', {
          resource_path_index: 0,
        }),
      );
    return undefined;
  };
  /** A token without the read scope is refused; then an injected fault, if one waits, is the answer. */
  const refusedReadOrFault = (reply: FastifyReply, scopes: string[], scope: RegExp) => {
    if (!scopes.some((granted) => scope.test(granted))) throw scopeMismatch();
    const fault = faults.shift();
    return fault ? sendFault(reply, fault) : undefined;
  };

  app.get<{ Params: { version: string }; Querystring: { module?: string } }>(
    '/crm/:version/settings/fields',
    async (request, reply) => {
      const scopes = authenticate(request);
      if (!servedVersion(request.params.version)) return reply.code(404).send(wrongUrl());
      if (!scopes.some((scope) => /^ZohoCRM\.settings\.(ALL|fields\.(ALL|READ))$/.test(scope)))
        throw scopeMismatch();
      if (request.query.module !== leads.apiName) {
        return reply
          .code(400)
          .send(
            zohoError('INVALID_MODULE', 'the module name given seems to be invalid', { param: 'module' }),
          );
      }
      return reply.send({
        fields: leads.fields.map((field) => ({
          api_name: field.api_name,
          data_type: field.data_type,
          length: field.length ?? 255,
          system_mandatory: field.mandatory === true,
          unique: field.unique === true ? { casesensitive: false } : {},
        })),
      });
    },
  );

  app.post<{ Params: { version: string; module: string } }>(
    '/crm/:version/:module/upsert',
    async (request, reply) => {
      const log: UpsertRequestLogEntry = { path: request.url, body: request.body, status: 0 };
      upsertRequests.push(log);
      const send = (status: number, body: unknown) => {
        log.status = status;
        return reply.code(status).send(body);
      };
      const scopes = authenticate(request);
      if (!servedVersion(request.params.version)) return send(404, wrongUrl());
      if (request.params.module !== leads.apiName)
        return send(
          400,
          zohoError('INVALID_MODULE', 'the module name given seems to be invalid', {
            resource_path_index: 0,
          }),
        );
      if (!scopes.some((scope) => /^ZohoCRM\.modules\.(ALL|leads\.(ALL|WRITE|CREATE))$/i.test(scope)))
        throw scopeMismatch();

      const fault = faults.shift();
      if (fault) {
        log.status = fault.kind === 'rate' ? 429 : fault.status;
        return sendFault(reply, fault);
      }

      const body = (request.body ?? {}) as Record<string, unknown>;
      if (!Array.isArray(body.data) || body.data.length === 0)
        return send(
          400,
          zohoError('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param: 'data' }),
        );
      if (body.data.length > MAX_RECORDS)
        return send(
          400,
          zohoError('LIMIT_EXCEEDED', 'the limit of records is exceeded', { limit: MAX_RECORDS }),
        );
      if (body.trigger !== undefined) {
        const triggers = body.trigger;
        if (!Array.isArray(triggers) || triggers.some((t) => typeof t !== 'string' || !TRIGGERS.has(t)))
          return send(400, zohoError('INVALID_DATA', 'invalid data', { api_name: 'trigger' }));
      }
      const checkError = leads.checkDuplicateFields(body.duplicate_check_fields);
      if (checkError) return send(400, checkError);
      const checkFields = (body.duplicate_check_fields as string[] | undefined) ?? ['Email'];
      const results: RecordResult[] = body.data.map((record, index) =>
        leads.upsert(index, record, checkFields),
      );
      const failed = results.filter((result) => result.status === 'error').length;
      return send(failed === 0 ? 200 : failed === results.length ? 400 : 207, { data: results });
    },
  );

  app.post<{ Params: { version: string } }>('/crm/:version/Calls', async (request, reply) => {
    const scopes = authenticate(request);
    if (!servedVersion(request.params.version)) return reply.code(404).send(wrongUrl());
    if (!scopes.some((scope) => /^ZohoCRM\.modules\.(ALL|calls\.(ALL|WRITE|CREATE))$/i.test(scope)))
      throw scopeMismatch();
    const fault = faults.shift();
    if (fault) return sendFault(reply, fault);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!Array.isArray(body.data) || body.data.length === 0)
      return reply
        .code(400)
        .send(
          zohoError('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param: 'data' }),
        );
    const results = body.data.map((record, index) => calls.insert(index, record));
    const failed = results.filter((result) => result.status === 'error').length;
    return reply.code(failed === 0 ? 201 : failed === results.length ? 400 : 207).send({ data: results });
  });

  app.get<{ Params: { version: string; module: string }; Querystring: Record<string, string | undefined> }>(
    '/crm/:version/:module/search',
    async (request, reply) => {
      searchRequests.push(request.url);
      const scopes = authenticate(request);
      const refused =
        refusedLeadsPath(reply, request.params.version, request.params.module) ??
        refusedReadOrFault(reply, scopes, /^ZohoCRM\.modules\.(ALL|leads\.(ALL|READ))$/i);
      if (refused) return refused;
      const { phone, email, criteria, word } = request.query;
      const given = [phone, email, criteria, word].filter((value) => value !== undefined);
      if (given.length === 0)
        return reply.code(400).send(
          zohoError('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', {
            param: 'criteria',
          }),
        );
      if (given.length > 1 || criteria !== undefined || word !== undefined)
        return reply
          .code(400)
          .send(zohoError('INVALID_QUERY', 'invalid query formed', { reason: 'give one of phone or email' }));
      const found = phone !== undefined ? leads.search('phone', phone) : leads.search('email', email ?? '');
      if (found.length === 0) return reply.code(204).send();
      return reply.send({
        data: found.map((record) => ({ ...record.fields, id: record.id })),
        info: { per_page: 200, count: found.length, page: 1, more_records: false },
      });
    },
  );

  app.get<{ Params: { version: string; module: string }; Querystring: Record<string, string | undefined> }>(
    '/crm/:version/:module',
    async (request, reply) => {
      const scopes = authenticate(request);
      const { version } = request.params;
      const refused =
        refusedLeadsPath(reply, version, request.params.module) ??
        refusedReadOrFault(reply, scopes, /^ZohoCRM\.modules\.(ALL|leads\.(ALL|READ))$/i);
      if (refused) return refused;
      const fields = request.query.fields?.split(',').filter((field) => field !== '');
      if (fields === undefined && Number(version.slice(1)) >= 4)
        return reply.code(400).send(
          zohoError('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', {
            param: 'fields',
          }),
        );
      const sortBy = request.query.sort_by ?? 'id';
      if (!['id', 'Created_Time', 'Modified_Time'].includes(sortBy))
        return reply.code(400).send(
          zohoError('INVALID_DATA', 'invalid data', {
            param: 'sort_by',
            supported: 'id,Created_Time,Modified_Time',
          }),
        );
      const sortOrder = request.query.sort_order ?? 'desc';
      // Ids grow with creation here, so every supported order is the order of creation.
      const all = leads.all().sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      if (sortOrder === 'desc') all.reverse();
      const perPage = Math.min(Number(request.query.per_page ?? 200) || 200, 200);
      const page = Math.max(Number(request.query.page ?? 1) || 1, 1);
      const shown = all.slice((page - 1) * perPage, page * perPage);
      if (shown.length === 0) return reply.code(204).send();
      const known = new Set([...leads.fields.map((field) => field.api_name), 'Created_Time']);
      return reply.send({
        data: shown.map((lead) => {
          const record: Record<string, unknown> = {
            ...lead.fields,
            Created_Time: leads.createdTime(lead.id),
          };
          const picked =
            fields === undefined
              ? record
              : Object.fromEntries(fields.filter((f) => known.has(f)).map((f) => [f, record[f] ?? null]));
          return { ...picked, id: lead.id };
        }),
        info: { per_page: perPage, count: shown.length, page, more_records: page * perPage < all.length },
      });
    },
  );

  app.get<{
    Params: { version: string; module: string; id: string; related: string };
    Querystring: Record<string, string | undefined>;
  }>('/crm/:version/:module/:id/:related', async (request, reply) => {
    const scopes = authenticate(request);
    const { version, module, id, related } = request.params;
    const wrongPath = refusedLeadsPath(reply, version, module);
    if (wrongPath) return wrongPath;
    if (related !== 'Calls')
      return reply
        .code(400)
        .send(zohoError('INVALID_DATA', 'the related list name given seems to be invalid', {}));
    const refused = refusedReadOrFault(reply, scopes, /^ZohoCRM\.modules\.(ALL|calls\.(ALL|READ))$/i);
    if (refused) return refused;
    if (!leads.all().some((lead) => lead.id === id))
      return reply
        .code(400)
        .send(
          zohoError('INVALID_DATA', 'the related id given seems to be invalid', { resource_path_index: 1 }),
        );
    // From v4 on Zoho answers only the fields asked for, and asking for none is refused.
    const fields = request.query.fields?.split(',').filter((field) => field !== '');
    if (fields === undefined && Number(version.slice(1)) >= 4)
      return reply.code(400).send(
        zohoError('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', {
          param: 'fields',
        }),
      );
    const perPage = Math.min(Number(request.query.per_page ?? 200) || 200, 200);
    const page = Math.max(Number(request.query.page ?? 1) || 1, 1);
    const all = calls.relatedTo(id);
    const shown = all.slice((page - 1) * perPage, page * perPage);
    if (shown.length === 0) return reply.code(204).send();
    return reply.send({
      data: shown.map((call) => {
        const record: Record<string, unknown> = { ...call.fields, Created_Time: call.createdTime };
        const picked =
          fields === undefined ? record : Object.fromEntries(fields.map((f) => [f, record[f] ?? null]));
        return { ...picked, id: call.id };
      }),
      info: { per_page: perPage, count: shown.length, page, more_records: page * perPage < all.length },
    });
  });

  ({ url } = await listenLocally(app, options));
  const add = (n: number, fault: Fault) => {
    for (let i = 0; i < n; i += 1) faults.push(fault);
  };
  return {
    url,
    leads,
    records: () => leads.all(),
    calls: () => calls.all(),
    upsertRequests,
    searchRequests,
    tokenRequests: () => tokenRequests,
    expireTokens() {
      for (const token of tokens.values()) token.revoked = true;
    },
    rateLimitNext: (n, retryAfterSeconds) => add(n, { kind: 'rate', retryAfterSeconds }),
    failNext: (n, status = 500) => add(n, { kind: 'status', status }),
    stop: () => app.close(),
  };
}
