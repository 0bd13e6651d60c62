import type { Logger } from '../../observability/logger.js';
import type { OutboundGuard } from '../../outbound/outbound-guard.js';
import type { RateLimit } from '../../rate-limits/token-bucket.js';
import type { SecretResolver } from '../../secrets/secret-resolver.js';
import type { Clock } from '../../time/clock.js';
import { resolvedSecrets } from '../kernel/resolved-secrets.js';
import { TenantRateLimiter } from '../rate-limits/tenant-rate-limiter.js';
import { SalesforceAccessTokens } from './access-tokens.js';
import { ApiUsageGuard } from './api-usage.js';
import type { SalesforceCrmConfig } from './config.js';
import { DEFAULT_SALESFORCE_RATE_LIMIT } from './rate-limits.js';
import { SalesforceSession } from './salesforce-session.js';

export interface SalesforceClientFactoryOptions {
  clock: Clock;
  /** Deadline of one Salesforce call (token requests included). */
  timeoutMs?: number;
  rateLimit?: RateLimit;
}

/**
 * Sessions for tenants, sharing what outlives one delivery: access tokens, rate-limit buckets and
 * the org's API budget. Secrets are resolved per session, so a rotated key is picked up (the token
 * cache notices the change and signs a new assertion).
 */
export class SalesforceClientFactory {
  private readonly tokens: SalesforceAccessTokens;
  private readonly usage: ApiUsageGuard;
  private readonly limiter: TenantRateLimiter;
  private readonly timeoutMs: number;

  constructor(options: SalesforceClientFactoryOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.tokens = new SalesforceAccessTokens({ clock: options.clock, timeoutMs: this.timeoutMs });
    this.usage = new ApiUsageGuard(() => options.clock.now().getTime());
    this.limiter = new TenantRateLimiter(options.rateLimit ?? DEFAULT_SALESFORCE_RATE_LIMIT);
  }

  async sessionFor(
    tenantId: string,
    config: SalesforceCrmConfig,
    secrets: SecretResolver,
    logger: Logger,
    outbound: OutboundGuard,
  ): Promise<SalesforceSession> {
    const resolved = await resolvedSecrets(secrets, {
      consumerKey: config.consumer_key,
      username: config.username,
      privateKeyPem: config.private_key,
    });
    return new SalesforceSession({
      tenantId,
      credentials: { loginUrl: config.login_url, ...resolved, outbound },
      instanceUrl: config.instance_url.replace(/\/+$/, ''),
      apiVersion: config.api_version,
      tokens: this.tokens,
      usage: this.usage,
      gate: () => this.limiter.acquire(tenantId),
      timeoutMs: this.timeoutMs,
      logger,
    });
  }
}
