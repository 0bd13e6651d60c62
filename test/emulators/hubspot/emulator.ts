import Fastify, { type FastifyError, type FastifyRequest } from 'fastify';
import { listenLocally } from '../listen.js';
import { type LatencyRange, ServiceConditions } from '../service-conditions.js';
import {
  errorBody,
  expiredToken,
  type HubSpotErrorBody,
  HubSpotHttpError,
  notFound,
  unauthenticated,
} from './hubspot-errors.js';
import { registerObjectRoutes } from './object-routes.js';
import { type OwnerSeed, PortalState, type StoredObject } from './portal-state.js';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings, TokenLimits } from './rate-limiter.js';
import { registerSchemaRoutes } from './schema-routes.js';

export interface PortalSeed {
  token: string;
  portalId?: number;
  owners?: OwnerSeed[];
}

export interface HubSpotEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Each token is one portal. Defaults to one portal with DEFAULT_TOKEN. */
  portals?: PortalSeed[];
  /** How long a write takes to reach the search index. */
  searchLagMs?: number;
  rateLimits?: Partial<RateLimitSettings>;
  /** How long each answer takes (none by default). */
  latency?: LatencyRange;
  /** Epoch milliseconds; injectable so tests can move time (search lag, rate windows). */
  now?: () => number;
}

export interface RequestLogEntry {
  method: string;
  /** The path without the query string. */
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  status: number;
  /** Whether a bearer token was sent (never the token itself). */
  authenticated: boolean;
}

interface InjectedFault {
  status: number;
  body: HubSpotErrorBody;
  match?: FaultMatch;
}

/** Restricts an injected fault to the requests it should hit (e.g. only task creates). */
export interface FaultMatch {
  method?: string;
  path?: RegExp;
}

export interface HubSpotEmulator {
  url: string;
  port: number;
  state: {
    portals: ReadonlyMap<string, PortalState>;
    requests: RequestLogEntry[];
  };
  portal(token?: string): PortalState;
  contacts(token?: string): StoredObject[];
  deals(token?: string): StoredObject[];
  tasks(token?: string): StoredObject[];
  calls(token?: string): StoredObject[];
  /** Requests whose method and path match, e.g. ('POST', '/crm/v3/objects/contacts'). */
  requestsTo(method: string, path: string | RegExp): RequestLogEntry[];
  /** The next n authenticated requests (matching `match`) fail with this status before doing anything. */
  failNext(n: number, status?: number, match?: FaultMatch): void;
  /** The next n authenticated requests get a 429 of this policy. */
  rateLimitNext(n: number, policy?: 'TEN_SECONDLY_ROLLING' | 'DAILY'): void;
  /** Drops the injected failures and 429s not yet answered: the requests after this one succeed. */
  clearFaults(): void;
  /** From now on the token is refused as expired, as HubSpot does after a private app's token is rotated. */
  revokeToken(token: string): void;
  /** Every answer from now on takes this long (undefined: at once). */
  setLatency(range: LatencyRange | undefined): void;
  /** While down, every request, authenticated or not, gets 503 and changes nothing. */
  setOutage(down: boolean): void;
  stop(): Promise<void>;
}

export const DEFAULT_TOKEN = 'pat-na1-00000000-0000-4000-8000-000000000001';

const FAILURE_MESSAGES: Record<number, string> = {
  500: 'internal error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'gateway timeout',
};

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer (.+)$/i.exec(header);
  return match?.[1];
}

function rateLimited(policy: 'TEN_SECONDLY_ROLLING' | 'DAILY', portalId: number): InjectedFault {
  const daily = policy === 'DAILY';
  return {
    status: 429,
    body: errorBody(
      daily ? 'You have reached your daily limit.' : 'You have reached your ten_secondly_rolling limit.',
      undefined,
      {
        errorType: 'RATE_LIMIT',
        policyName: policy,
        groupName: daily
          ? `publicapi:private-app-api-calls-daily:${portalId}`
          : `publicapi:private-app-api-calls-ten-secondly:${portalId}`,
      },
    ),
  };
}

/** The search limit answers like captured traffic: no policyName, category RATE_LIMITS. */
function searchRateLimited(): InjectedFault {
  return { status: 429, body: errorBody('You have reached your secondly limit.', 'RATE_LIMITS') };
}

/**
 * A stateful stand-in for api.hubapi.com that the official SDK talks to unchanged (`basePath` = url):
 * auth per portal token, property validation, unique emails, lagging search, rate limits, and faults
 * on demand. Tests read its state directly.
 */
export async function startHubSpotEmulator(options: HubSpotEmulatorOptions = {}): Promise<HubSpotEmulator> {
  const now = options.now ?? Date.now;
  const limitsSettings: RateLimitSettings = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const seeds = options.portals ?? [{ token: DEFAULT_TOKEN }];
  const portals = new Map<string, PortalState>();
  const limits = new Map<string, TokenLimits>();
  seeds.forEach((seed, index) => {
    portals.set(seed.token, new PortalState(seed.portalId ?? 10_000_000 + index, seed.owners ?? [], now()));
    limits.set(seed.token, new TokenLimits(limitsSettings));
  });
  const revoked = new Map<string, number>();
  const faults: InjectedFault[] = [];
  const requests: RequestLogEntry[] = [];
  const portalByRequest = new WeakMap<FastifyRequest, PortalState>();

  const app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true } });
  const conditions = new ServiceConditions({
    latency: options.latency,
    outageError: () => new HubSpotHttpError(503, errorBody(FAILURE_MESSAGES[503] ?? '', undefined)),
  });
  conditions.register(app);

  app.addHook('preHandler', async (request, reply) => {
    const token = bearerToken(request);
    const portal = token === undefined ? undefined : portals.get(token);
    const tokenLimits = token === undefined ? undefined : limits.get(token);
    if (token === undefined || !portal || !tokenLimits) throw unauthenticated();
    const revokedAt = revoked.get(token);
    if (revokedAt !== undefined) throw expiredToken(Math.max(1, Math.round((now() - revokedAt) / 1000)));
    const at = now();
    const path = request.url.split('?')[0] ?? '';
    const index = faults.findIndex(
      ({ match }) =>
        (match?.method === undefined || match.method === request.method) && (match?.path?.test(path) ?? true),
    );
    const fault = index < 0 ? undefined : faults.splice(index, 1)[0];
    if (fault) throw new HubSpotHttpError(fault.status, fault.body, tokenLimits.headers(at));
    const isSearch = request.method === 'POST' && path.endsWith('/search');
    if (tokenLimits.dailyUsed >= limitsSettings.daily) {
      const daily = rateLimited('DAILY', portal.portalId);
      throw new HubSpotHttpError(429, daily.body, tokenLimits.headers(at));
    }
    // Search has its own per-second limit and is exempt from the ten-second one, as HubSpot documents.
    const admitted = isSearch ? tokenLimits.search.tryTake(at) : tokenLimits.burst.tryTake(at);
    if (!admitted) {
      const limited = isSearch ? searchRateLimited() : rateLimited('TEN_SECONDLY_ROLLING', portal.portalId);
      throw new HubSpotHttpError(429, limited.body, tokenLimits.headers(at));
    }
    tokenLimits.dailyUsed += 1;
    reply.headers(tokenLimits.headers(at));
    portalByRequest.set(request, portal);
  });

  app.addHook('onResponse', async (request, reply) => {
    requests.push({
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      query: (request.query ?? {}) as Record<string, unknown>,
      body: request.body,
      status: reply.statusCode,
      authenticated: bearerToken(request) !== undefined,
    });
  });

  app.setErrorHandler((error: FastifyError | HubSpotHttpError, _request, reply) => {
    reply.header('content-type', 'application/json;charset=utf-8');
    if (error instanceof HubSpotHttpError) {
      return reply.code(error.statusCode).headers(error.headers).send(error.body);
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return reply.code(400).send(errorBody(`Invalid input JSON: ${error.message}`, 'VALIDATION_ERROR'));
    }
    return reply.code(500).send(errorBody('internal error', undefined));
  });

  app.setNotFoundHandler((_request, reply) => {
    const error = notFound();
    return reply.code(404).send(error.body);
  });

  const ctx = {
    portalOf(request: FastifyRequest): PortalState {
      const portal = portalByRequest.get(request);
      if (!portal) throw unauthenticated();
      return portal;
    },
    now,
    searchLagMs: options.searchLagMs ?? 0,
  };
  registerObjectRoutes(app, ctx);
  registerSchemaRoutes(app, ctx);

  const { url, port } = await listenLocally(app, options);
  const firstToken = seeds[0]?.token ?? DEFAULT_TOKEN;

  const portal = (token: string = firstToken): PortalState => {
    const found = portals.get(token);
    if (!found) throw new Error(`the emulator has no portal for that token`);
    return found;
  };

  return {
    url,
    port,
    state: { portals, requests },
    portal,
    contacts: (token) => portal(token).contacts(),
    deals: (token) => portal(token).deals(),
    tasks: (token) => portal(token).tasks(),
    calls: (token) => portal(token).calls(),
    requestsTo: (method, path) =>
      requests.filter(
        (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
      ),
    failNext(n, status = 500, match) {
      for (let i = 0; i < n; i += 1) {
        const body = errorBody(FAILURE_MESSAGES[status] ?? 'internal error', undefined);
        faults.push(match === undefined ? { status, body } : { status, body, match });
      }
    },
    rateLimitNext(n, policy = 'TEN_SECONDLY_ROLLING') {
      for (let i = 0; i < n; i += 1) faults.push(rateLimited(policy, portal().portalId));
    },
    clearFaults() {
      faults.length = 0;
    },
    revokeToken(token) {
      revoked.set(token, now());
    },
    setLatency: (range) => conditions.setLatency(range),
    setOutage: (down) => conditions.setOutage(down),
    stop: () => app.close(),
  };
}
