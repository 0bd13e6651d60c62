import {
  CallLogsApi as V1CallLogsApi,
  Configuration as V1Configuration,
  UsersApi as V1UsersApi,
} from 'pipedrive/v1';
import {
  ActivitiesApi,
  Configuration,
  DealFieldsApi,
  DealsApi,
  PersonFieldsApi,
  PersonsApi,
  PipelinesApi,
  StagesApi,
} from 'pipedrive/v2';
import type { OutboundGuard } from '../../outbound/outbound-guard.js';
import type { SecretResolver } from '../../secrets/secret-resolver.js';
import { ClientCache } from '../kernel/client-cache.js';
import type { PipedriveCrmConfig } from './config.js';

/**
 * The SDK's APIs answer only the body of an error (its interceptor rejects with `response.data`), which
 * loses the status and the rate-limit headers that tell a 429's daily budget from its burst window. Each
 * API built here keeps the SDK's request building and its success answers (the body) but rejects with the
 * whole AxiosError, which error-classification reads.
 */
function keepErrorAnswers(sdkAxios: object): void {
  // Typed by shape: axios's own types want an interceptor to return the response, while the SDK's
  // contract (and its declared return types) is the body, as its own interceptor returns.
  const axios = sdkAxios as InterceptedAxios;
  axios.interceptors.response.clear();
  axios.interceptors.response.use((response) => response.data);
}

interface InterceptedAxios {
  interceptors: {
    response: { clear(): void; use(onFulfilled: (response: { data: unknown }) => unknown): number };
  };
}

/** Builds one SDK API whose failures keep their HTTP answer (its `axios` is protected, hence the cast). */
function api<T extends object, C>(Api: new (configuration: C) => T, configuration: C): T {
  const built = new Api(configuration);
  keepErrorAnswers((built as unknown as { axios: object }).axios);
  return built;
}

/** The SDK APIs one tenant's delivery uses, all bound to its token and base path. */
export interface PipedriveClient {
  persons: PersonsApi;
  deals: DealsApi;
  personFields: PersonFieldsApi;
  dealFields: DealFieldsApi;
  activities: ActivitiesApi;
  pipelines: PipelinesApi;
  stages: StagesApi;
  /** API v1, for `GET /v1/users/me` (the guide's connectivity test); v2 has no such endpoint. */
  users: V1UsersApi;
  /** API v1: call logs exist on v1 only. */
  callLogs: V1CallLogsApi;
}

/** https://{company_domain}/api/v2, or the configured api_base_url. */
export function pipedriveBasePath(
  config: Pick<PipedriveCrmConfig, 'api_base_url' | 'company_domain'>,
): string {
  return (config.api_base_url ?? `https://${config.company_domain}/api/v2`).replace(/\/+$/, '');
}

/** The v1 base path beside a v2 one: .../api/v2 → .../api/v1. */
export function pipedriveV1BasePath(v2BasePath: string): string {
  return /\/v2$/.test(v2BasePath)
    ? v2BasePath.replace(/\/v2$/, '/v1')
    : `${new URL(v2BasePath).origin}/api/v1`;
}

/**
 * One set of SDK APIs per tenant, rebuilt when the tenant's configuration (a new version from the
 * tenant store), token or base path changes (a rotated secret resolves to a new value). Every request
 * has a deadline (axios `timeout`): the SDK sets none.
 * The SDK retries nothing; the stage runner retries with backoff and dead-letters. Its axios connects
 * through the outbound guard's agents, directly, and follows no redirect (maxRedirects 0: a 3xx is an
 * answer).
 */
export class PipedriveClientFactory {
  private readonly clients: ClientCache<PipedriveClient>;
  private readonly timeoutMs: number;

  constructor(options: { maxTenants?: number; requestTimeoutMs?: number } = {}) {
    this.clients = new ClientCache(options.maxTenants);
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  async clientFor(
    tenantId: string,
    config: PipedriveCrmConfig,
    secrets: SecretResolver,
    outbound: OutboundGuard,
  ): Promise<PipedriveClient> {
    const token = await secrets.resolve(config.api_token);
    const basePath = pipedriveBasePath(config);
    return this.clients.clientFor(tenantId, [config, token, basePath, outbound], () =>
      this.build(token, basePath, outbound),
    );
  }

  private build(token: string, basePath: string, outbound: OutboundGuard): PipedriveClient {
    const baseOptions = {
      timeout: this.timeoutMs,
      httpAgent: outbound.httpAgent,
      httpsAgent: outbound.httpsAgent,
      maxRedirects: 0,
      // Not through a proxy from HTTP(S)_PROXY, whose address the guard would check instead of the CRM's.
      proxy: false as const,
    };
    const v2 = new Configuration({ apiKey: token, basePath });
    v2.baseOptions = baseOptions;
    const v1 = new V1Configuration({ apiKey: token, basePath: pipedriveV1BasePath(basePath) });
    v1.baseOptions = baseOptions;
    return {
      persons: api(PersonsApi, v2),
      deals: api(DealsApi, v2),
      personFields: api(PersonFieldsApi, v2),
      dealFields: api(DealFieldsApi, v2),
      activities: api(ActivitiesApi, v2),
      pipelines: api(PipelinesApi, v2),
      stages: api(StagesApi, v2),
      users: api(V1UsersApi, v1),
      callLogs: api(V1CallLogsApi, v1),
    };
  }
}
