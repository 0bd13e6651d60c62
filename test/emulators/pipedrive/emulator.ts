import Fastify, { type FastifyError, type FastifyRequest } from 'fastify';
import { listenLocally } from '../listen.js';
import { type LatencyRange, ServiceConditions } from '../service-conditions.js';
import {
  CompanyState,
  type Pipeline,
  type Stage,
  type StoredActivity,
  type StoredCallLog,
  type StoredDeal,
  type StoredPerson,
  type User,
} from './company-state.js';
import { type CustomFieldSpec, type Entity, GUIDE_CUSTOM_FIELDS } from './field-definitions.js';
import { gatewayError, PipedriveHttpError, unauthorized, validationFailed } from './pipedrive-errors.js';
import { RateWindow } from './rate-window.js';
import { registerV1Routes, registerV2Routes } from './routes.js';

export const DEFAULT_TOKEN = '0123456789abcdef0123456789abcdef01234567';
export const DEFAULT_USER: User = { id: 123456, name: 'Sam Owner', email: 'owner@company.com' };

export interface PipedriveEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** API tokens the company accepts. */
  tokens?: string[];
  users?: User[];
  pipelines?: Pipeline[];
  stages?: Stage[];
  /** Custom fields the company has; the guide's by default. */
  customFields?: Record<Entity, CustomFieldSpec[]>;
  /** Requests per token per 2-second window (the plan's limit: 20 on Essential). */
  burstLimit?: number;
  /** POST/PUT/PATCH requests left for the day (`x-daily-requests-left`). */
  dailyWritesLeft?: number;
  /** How long a written person stays invisible to /persons/search. */
  searchLagMs?: number;
  /** How long each answer takes (none by default). */
  latency?: LatencyRange;
  now?: () => number;
}

export interface RequestLogEntry {
  method: string;
  /** Without the query string. */
  path: string;
  /** The query without api_token. */
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** How the token came: `x-api-token` header or `api_token` query parameter. */
  auth: 'header' | 'query' | 'none';
}

export interface FaultMatch {
  method?: string;
  path?: RegExp;
}

interface InjectedFault {
  status: number;
  body: Record<string, unknown> | string;
  headers: Record<string, string>;
  match: FaultMatch | undefined;
}

export interface PipedriveEmulator {
  url: string;
  /** What a tenant sets as company_domain: host and port. */
  host: string;
  company: CompanyState;
  /** The API tokens the company accepts now: a test revokes or rotates one by changing the set. */
  tokens: Set<string>;
  persons(): StoredPerson[];
  deals(): StoredDeal[];
  activities(): StoredActivity[];
  callLogs(): StoredCallLog[];
  /** The 40-character key of a custom field, by its name. */
  fieldKey(entity: Entity, name: string): string;
  /** The id of an enum/set option, by field name and label. */
  optionId(entity: Entity, name: string, label: string): number;
  requests: RequestLogEntry[];
  requestsTo(method: string, path: string | RegExp): RequestLogEntry[];
  /** The next n API requests (matching `match`) fail: 500 ERR_UNKNOWN, 502 a gateway page, 503. */
  failNext(n: number, status?: number, match?: FaultMatch): void;
  /** The next n API requests get 429: the 2-second window, or the daily budget (reset at UTC midnight). */
  rateLimitNext(n: number, limit?: 'burst' | 'daily', match?: FaultMatch): void;
  /** Every answer from now on takes this long (undefined: at once). */
  setLatency(range: LatencyRange | undefined): void;
  /** While down, every request gets 503 and changes nothing. */
  setOutage(down: boolean): void;
  stop(): Promise<void>;
}

const FAULT_BODIES: Record<number, Record<string, unknown> | string> = {
  500: { success: false, error: 'Internal Server Error', code: 'ERR_UNKNOWN' },
  502: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>',
  503: { success: false, error: 'Service Unavailable', errorCode: 503 },
};

function tokenOf(request: FastifyRequest): { token: string | undefined; auth: RequestLogEntry['auth'] } {
  const header = request.headers['x-api-token'];
  if (typeof header === 'string' && header !== '') return { token: header, auth: 'header' };
  const query = (request.query ?? {}) as Record<string, unknown>;
  if (typeof query.api_token === 'string') return { token: query.api_token, auth: 'query' };
  return { token: undefined, auth: 'none' };
}

function secondsToUtcMidnight(now: number): number {
  const date = new Date(now);
  return Math.ceil((Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1) - now) / 1000);
}

const WRITES = new Set(['POST', 'PUT', 'PATCH']);

/**
 * A stateful stand-in for one Pipedrive company that the official SDK talks to unchanged
 * (basePath = url + /api/v2, or company_domain = host over http): api_token auth (header or query),
 * persons with search, deals, activities, person/deal fields with 40-character custom field keys and
 * option ids, v2 schema validation with Pipedrive's error shape, the 2-second burst window with its
 * rate-limit headers, and 429s and 5xx on demand.
 */
export async function startPipedriveEmulator(
  options: PipedriveEmulatorOptions = {},
): Promise<PipedriveEmulator> {
  const now = options.now ?? Date.now;
  const tokens = new Set(options.tokens ?? [DEFAULT_TOKEN]);
  const stages = options.stages ?? [
    { id: 1, name: 'Lead In', pipeline_id: 1 },
    { id: 2, name: 'Contact Made', pipeline_id: 1 },
    { id: 3, name: 'Qualified', pipeline_id: 2 },
  ];
  let url = '';
  let host = '';
  const company = new CompanyState({
    companyId: 7_654_321,
    companyName: 'Acme Remodeling',
    companyDomain: 'acme-remodeling',
    users: options.users ?? [DEFAULT_USER],
    pipelines: options.pipelines ?? [
      { id: 1, name: 'Sales' },
      { id: 2, name: 'Renovations' },
    ],
    stages,
    customFields: options.customFields ?? GUIDE_CUSTOM_FIELDS,
    searchLagMs: options.searchLagMs ?? 0,
    now,
  });
  const windows = new Map<string, RateWindow>();
  const burstLimit = options.burstLimit ?? 20;
  const daily = { writesLeft: options.dailyWritesLeft ?? 10_000 };
  const faults: InjectedFault[] = [];
  const requests: RequestLogEntry[] = [];
  const windowOf = (token: string) => {
    let window = windows.get(token);
    if (!window) {
      window = new RateWindow(burstLimit, now);
      windows.set(token, window);
    }
    return window;
  };

  const app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true } });
  const conditions = new ServiceConditions({
    latency: options.latency,
    outageError: () => new PipedriveHttpError(503, FAULT_BODIES[503] ?? ''),
  });
  conditions.register(app);

  app.addHook('preHandler', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const { token } = tokenOf(request);
    if (token === undefined || !tokens.has(token)) throw unauthorized();
    const window = windowOf(token);
    const state = window.state();
    const rateHeaders = {
      'x-ratelimit-limit': String(state.limit),
      'x-ratelimit-remaining': String(state.remaining),
      'x-ratelimit-reset': String(state.resetSeconds),
      'x-daily-requests-left': String(daily.writesLeft),
    };
    const path = request.url.split('?')[0] ?? '';
    const index = faults.findIndex(
      ({ match }) =>
        (match?.method === undefined || match.method === request.method) && (match?.path?.test(path) ?? true),
    );
    const fault = index < 0 ? undefined : faults.splice(index, 1)[0];
    if (fault) throw new PipedriveHttpError(fault.status, fault.body, { ...rateHeaders, ...fault.headers });
    if (!window.take()) {
      throw gatewayError(429, 'Request over limit', { ...rateHeaders, 'x-ratelimit-remaining': '0' });
    }
    if (WRITES.has(request.method)) {
      if (daily.writesLeft <= 0) {
        throw gatewayError(429, 'Request over limit', {
          ...rateHeaders,
          'x-ratelimit-reset': String(secondsToUtcMidnight(now())),
        });
      }
      daily.writesLeft -= 1;
    }
    const after = window.state();
    reply.headers({
      ...rateHeaders,
      'x-ratelimit-remaining': String(after.remaining),
      'x-daily-requests-left': String(daily.writesLeft),
    });
  });

  app.addHook('onResponse', async (request, reply) => {
    const { api_token: _token, ...query } = (request.query ?? {}) as Record<string, string>;
    requests.push({
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      query,
      body: request.body,
      status: reply.statusCode,
      auth: tokenOf(request).auth,
    });
  });

  app.setErrorHandler((error: FastifyError | PipedriveHttpError, _request, reply) => {
    if (error instanceof PipedriveHttpError) {
      reply.code(error.statusCode).headers(error.headers);
      if (typeof error.body === 'string') return reply.type('text/html').send(error.body);
      return reply.send(error.body);
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      const invalid = validationFailed([`body: ${error.message}`]);
      return reply.code(400).send(invalid.body);
    }
    return reply.code(500).send(FAULT_BODIES[500]);
  });

  app.setNotFoundHandler((_request, reply) => {
    const unknown = gatewayError(404, 'Unknown method .');
    return reply.code(404).send(unknown.body);
  });

  registerV2Routes(app, company);
  registerV1Routes(app, company);

  ({ host, url } = await listenLocally(app, options));

  const addFaults = (n: number, fault: InjectedFault) => {
    for (let i = 0; i < n; i += 1) faults.push(fault);
  };

  return {
    url,
    host,
    company,
    tokens,
    persons: () => [...company.persons.values()],
    deals: () => [...company.deals.values()],
    activities: () => [...company.activities.values()],
    callLogs: () => [...company.callLogs.values()],
    fieldKey(entity, name) {
      const field = company.fields.byName(entity, name);
      if (!field) throw new Error(`no ${entity} field named ${name}`);
      return field.code;
    },
    optionId(entity, name, label) {
      const option = company.fields.byName(entity, name)?.options.find((o) => o.label === label);
      if (!option) throw new Error(`no option ${label} in ${entity} field ${name}`);
      return option.id;
    },
    requests,
    requestsTo: (method, path) =>
      requests.filter(
        (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
      ),
    failNext(n, status = 503, match) {
      const body = FAULT_BODIES[status] ?? { success: false, error: 'Server error', errorCode: status };
      addFaults(n, { status, body, headers: {}, match });
    },
    rateLimitNext(n, limit = 'burst', match) {
      const body = gatewayError(429, 'Request over limit').body;
      const headers: Record<string, string> =
        limit === 'burst'
          ? { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' }
          : {
              'x-ratelimit-remaining': '0',
              'x-daily-requests-left': '0',
              'x-ratelimit-reset': String(secondsToUtcMidnight(now())),
            };
      addFaults(n, { status: 429, body, headers, match });
    },
    setLatency: (range) => conditions.setLatency(range),
    setOutage: (down) => conditions.setOutage(down),
    stop: () => app.close(),
  };
}
