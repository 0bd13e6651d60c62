import { Connection } from 'jsforce';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Logger } from '../../observability/logger.js';
import { withTokenRefresh } from '../kernel/token-refresh.js';
import type { AccessToken, SalesforceAccessTokens, SalesforceCredentials } from './access-tokens.js';
import type { ApiUsageGuard } from './api-usage.js';
import { classifySalesforceError, isInvalidSession } from './error-classification.js';
import { GuardedTransport } from './guarded-transport.js';

export interface SalesforceSessionDeps {
  tenantId: string;
  credentials: SalesforceCredentials;
  /** The configured org URL: REST calls go there, whatever instance_url the token answer names. */
  instanceUrl: string;
  apiVersion: string;
  tokens: SalesforceAccessTokens;
  usage: ApiUsageGuard;
  /** Waits for the tenant's rate-limit slot. */
  gate: () => Promise<number>;
  timeoutMs: number;
  logger: Logger;
}

/**
 * One tenant's authenticated access to its org through jsforce. Every call waits for the tenant's rate
 * limit, is refused early while the org's API budget is spent, and is classified on failure. A token
 * Salesforce no longer accepts (INVALID_SESSION_ID) is dropped and the call retried once with a new one.
 */
export class SalesforceSession {
  private connection: { accessToken: string; conn: Connection } | undefined;

  constructor(private readonly deps: SalesforceSessionDeps) {}

  get tenantId(): string {
    return this.deps.tenantId;
  }

  get apiVersion(): string {
    return this.deps.apiVersion;
  }

  /** The REST path of a resource under this org's API version: `/services/data/v62.0/sobjects/Lead`. */
  dataPath(resource: string): string {
    return `/services/data/v${this.deps.apiVersion}${resource}`;
  }

  async call<T>(operation: string, run: (conn: Connection) => Promise<T>): Promise<T> {
    const { tenantId, tokens, credentials, logger } = this.deps;
    return withTokenRefresh(
      {
        token: () => tokens.get(tenantId, credentials),
        isRefusal: isInvalidSession,
        drop: (token) => tokens.invalidate(tenantId, token.accessToken),
        onRefusal: () =>
          logger.info(
            { workflow_step: 'crm_push', operation },
            'Salesforce no longer accepts the access token; signing a new assertion',
          ),
        refusedAgain: (error) =>
          new LeadstreamError(
            'crm_auth_error',
            `Salesforce refused a freshly issued access token for ${operation}: check that the integration user may use the REST API and that crm_config.instance_url is the org's`,
            { details: { operation, error_code: 'INVALID_SESSION_ID' }, cause: error },
          ),
      },
      (token) => this.attempt(operation, token, run),
    );
  }

  private async attempt<T>(
    operation: string,
    token: AccessToken,
    run: (conn: Connection) => Promise<T>,
  ): Promise<T> {
    const { tenantId, usage, gate, logger } = this.deps;
    await gate();
    usage.check(tenantId);
    const conn = this.connectionFor(token);
    try {
      return await run(conn);
    } catch (error) {
      throw classifySalesforceError(error, operation);
    } finally {
      usage.record(tenantId, conn.limitInfo.apiUsage, logger);
    }
  }

  private connectionFor(token: AccessToken): Connection {
    if (this.connection?.accessToken === token.accessToken) return this.connection.conn;
    const conn = new Connection({
      instanceUrl: this.deps.instanceUrl,
      accessToken: token.accessToken,
      version: this.deps.apiVersion,
    });
    conn._transport = new GuardedTransport(this.deps.timeoutMs, this.deps.credentials.outbound);
    this.connection = { accessToken: token.accessToken, conn };
    return conn;
  }
}
