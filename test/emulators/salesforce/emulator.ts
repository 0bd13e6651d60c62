import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyRequest } from 'fastify';
import { listenLocally } from '../listen.js';
import { type LatencyRange, ServiceConditions } from '../service-conditions.js';
import { registerCompositeRoutes } from './composite-routes.js';
import { registerDataRoutes } from './data-routes.js';
import { type ConnectedApp, type IssuedToken, registerOAuthRoutes, type TokenFault } from './oauth-routes.js';
import { OrgState, type StoredRecord } from './org-state.js';
import {
  invalidSession,
  notFound,
  requestLimitExceeded,
  restError,
  type SalesforceErrorEntry,
  SalesforceHttpError,
} from './salesforce-errors.js';
import { registerToolingRoutes } from './tooling-routes.js';

export type { ConnectedApp } from './oauth-routes.js';

export interface SalesforceEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  connectedApps: ConnectedApp[];
  /** Accepted JWT `aud` values; the emulator's own URL by default (the login URL a tenant configures). */
  audiences?: string[];
  /** The guide's custom Lead fields (step 4); false for an org not set up yet. */
  guideFields?: boolean;
  /** A Block duplicate rule on Lead Phone/Email (on by default). */
  duplicateRule?: boolean;
  /** The owner the org's active lead assignment rule gives. */
  assignmentRuleOwnerId?: string;
  /** The org's 24-hour API request limit. */
  apiRequestLimit?: number;
  /** Oldest and newest API version served. */
  apiVersions?: { min: number; max: number };
  /** How long each answer takes (none by default). */
  latency?: LatencyRange;
  now?: () => number;
}

export interface RequestLogEntry {
  method: string;
  /** The path without the query string. */
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  status: number;
  /** Request headers that change behaviour (Sforce-*), lower-cased; never Authorization. */
  sforceHeaders: Record<string, string>;
  /** Made by the composite resource on behalf of one composite request. */
  subrequest: boolean;
}

export interface FaultMatch {
  method?: string;
  path?: RegExp;
}

interface InjectedFault {
  status: number;
  body: SalesforceErrorEntry[] | string;
  match?: FaultMatch;
}

export interface SalesforceEmulator {
  url: string;
  port: number;
  org: OrgState;
  leads(): StoredRecord[];
  tasks(): StoredRecord[];
  requests: RequestLogEntry[];
  /** API requests (composite subrequests excluded) whose method and path match. */
  requestsTo(method: string, path: string | RegExp): RequestLogEntry[];
  tokenRequests(): number;
  /** The next n API requests (matching `match`) fail: 500 UNKNOWN_EXCEPTION, 503 SERVER_UNAVAILABLE, 502 an HTML page. */
  failNext(n: number, status?: number, match?: FaultMatch): void;
  /** The next n API requests (matching `match`) answer with this error entry. */
  failNextWith(n: number, status: number, entry: SalesforceErrorEntry, match?: FaultMatch): void;
  /** The next n API requests get 403 REQUEST_LIMIT_EXCEEDED. */
  requestLimitNext(n: number): void;
  /** The next n token requests fail with this status, and this Retry-After header when given. */
  failTokenNext(n: number, status?: number, retryAfter?: string): void;
  /** Every access token issued so far stops working (INVALID_SESSION_ID), as when a session times out. */
  expireTokens(): void;
  /** Sets the org's API usage, e.g. to its limit. */
  setApiUsage(used: number): void;
  apiUsage(): { used: number; max: number };
  /** Every answer from now on takes this long (undefined: at once). */
  setLatency(range: LatencyRange | undefined): void;
  /** While down, every request (the token endpoint too) gets 503 and changes nothing. */
  setOutage(down: boolean): void;
  stop(): Promise<void>;
}

const FAULT_BODIES: Record<number, SalesforceErrorEntry[] | string> = {
  500: [
    {
      errorCode: 'UNKNOWN_EXCEPTION',
      message:
        'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
    },
  ],
  502: '<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>',
  503: [
    {
      errorCode: 'SERVER_UNAVAILABLE',
      message: 'Salesforce is down for maintenance. Please try again later.',
    },
  ],
};

function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/**
 * A stateful stand-in for a Salesforce org and its login server that jsforce talks to unchanged
 * (`instanceUrl` = url): the JWT bearer flow against registered connected apps, Lead and Task with
 * the guide's fields and Salesforce's validation, SOQL, composite and sObject Collections, upsert by an
 * external id, the Tooling API's custom field create (with field-level security), a duplicate rule,
 * an assignment rule, the daily API limit with Sforce-Limit-Info, and faults on demand.
 */
export async function startSalesforceEmulator(
  options: SalesforceEmulatorOptions,
): Promise<SalesforceEmulator> {
  const now = options.now ?? Date.now;
  const versions = options.apiVersions ?? { min: 31, max: 66 };
  const org = new OrgState({
    guideFields: options.guideFields ?? true,
    duplicateRule: options.duplicateRule ?? true,
    assignmentRuleOwnerId: options.assignmentRuleOwnerId,
    now,
  });
  const tokens = new Map<string, IssuedToken>();
  const tokenFaults: TokenFault[] = [];
  const tokenRequests = { count: 0 };
  const faults: InjectedFault[] = [];
  const requests: RequestLogEntry[] = [];
  const usage = { used: 0, max: options.apiRequestLimit ?? 100_000 };
  const subrequestHeader = {
    name: 'x-emulator-composite-subrequest',
    value: randomBytes(16).toString('hex'),
  };
  let url = '';

  const app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true } });
  const isSubrequest = (request: FastifyRequest) =>
    request.headers[subrequestHeader.name] === subrequestHeader.value;
  const limitInfo = () => ({ 'sforce-limit-info': `api-usage=${usage.used}/${usage.max}` });
  const conditions = new ServiceConditions({
    latency: options.latency,
    outageError: () => new SalesforceHttpError(503, FAULT_BODIES[503] as SalesforceErrorEntry[]),
    // A composite's subrequests travel inside the one request that was already delayed.
    exempt: isSubrequest,
  });
  conditions.register(app);

  app.addHook('preHandler', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    if (!path.startsWith('/services/data/')) return;
    const version = /^\/services\/data\/v(\d+)\.0(?:\/|$)/.exec(path)?.[1];
    if (version === undefined || Number(version) < versions.min || Number(version) > versions.max)
      throw notFound();
    const token = bearerToken(request);
    const issued = token === undefined ? undefined : tokens.get(token);
    if (!issued || issued.expired) throw invalidSession();
    if (isSubrequest(request)) return;
    const index = faults.findIndex(
      ({ match }) =>
        (match?.method === undefined || match.method === request.method) && (match?.path?.test(path) ?? true),
    );
    const fault = index < 0 ? undefined : faults.splice(index, 1)[0];
    if (fault) {
      if (typeof fault.body === 'string') throw new SalesforceHttpError(fault.status, { html: fault.body });
      throw new SalesforceHttpError(fault.status, fault.body);
    }
    if (usage.used >= usage.max) throw requestLimitExceeded();
    usage.used += 1;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/services/data/') && !isSubrequest(request)) reply.headers(limitInfo());
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const sforceHeaders = Object.fromEntries(
      Object.entries(request.headers)
        .filter(([name]) => name.startsWith('sforce-'))
        .map(([name, value]) => [name, String(value)]),
    );
    requests.push({
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      query: (request.query ?? {}) as Record<string, unknown>,
      body: request.body,
      status: reply.statusCode,
      sforceHeaders,
      subrequest: isSubrequest(request),
    });
  });

  app.setErrorHandler((error: FastifyError | SalesforceHttpError, _request, reply) => {
    if (error instanceof SalesforceHttpError) {
      const html =
        !Array.isArray(error.body) && typeof error.body.html === 'string' ? error.body.html : undefined;
      if (html !== undefined) return reply.code(error.statusCode).type('text/html').send(html);
      return reply.code(error.statusCode).headers(error.headers).send(error.body);
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      const parsing = restError(400, 'JSON_PARSER_ERROR', `Unexpected character: ${error.message}`);
      return reply.code(400).send(parsing.body);
    }
    return reply.code(500).send(FAULT_BODIES[500]);
  });

  app.setNotFoundHandler((_request, reply) => reply.code(404).send(notFound().body));

  registerOAuthRoutes(app, {
    url: () => url,
    apps: options.connectedApps,
    audiences: () => options.audiences ?? [url],
    tokens,
    orgId: org.orgId,
    userId: org.integrationUserId,
    now,
    tokenFaults,
    tokenRequests,
  });
  registerDataRoutes(app, {
    org,
    apiVersion: (request) => /^\/services\/data\/v(\d+\.0)/.exec(request.url)?.[1] ?? '',
    limits: () => usage,
  });
  registerCompositeRoutes(app, { org, subrequestHeader });
  registerToolingRoutes(app, { org });

  const address = await listenLocally(app, options);
  url = address.url;

  const addFaults = (n: number, fault: InjectedFault) => {
    for (let i = 0; i < n; i += 1) faults.push(fault);
  };

  return {
    url,
    port: address.port,
    org,
    leads: () => org.all('Lead'),
    tasks: () => org.all('Task'),
    requests,
    requestsTo: (method, path) =>
      requests.filter(
        (r) =>
          !r.subrequest &&
          r.method === method &&
          (typeof path === 'string' ? r.path === path : path.test(r.path)),
      ),
    tokenRequests: () => tokenRequests.count,
    failNext(n, status = 503, match) {
      const body = FAULT_BODIES[status] ?? [
        { errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred.' },
      ];
      addFaults(n, match === undefined ? { status, body } : { status, body, match });
    },
    failNextWith(n, status, entry, match) {
      addFaults(n, match === undefined ? { status, body: [entry] } : { status, body: [entry], match });
    },
    requestLimitNext(n) {
      addFaults(n, { status: 403, body: requestLimitExceeded().body as SalesforceErrorEntry[] });
    },
    failTokenNext(n, status = 503, retryAfter) {
      for (let i = 0; i < n; i += 1)
        tokenFaults.push(retryAfter === undefined ? { status } : { status, retryAfter });
    },
    expireTokens() {
      for (const token of tokens.values()) token.expired = true;
    },
    setApiUsage(used) {
      usage.used = used;
    },
    apiUsage: () => ({ ...usage }),
    setLatency: (range) => conditions.setLatency(range),
    setOutage: (down) => conditions.setOutage(down),
    stop: () => app.close(),
  };
}
