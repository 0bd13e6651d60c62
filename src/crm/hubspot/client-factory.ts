import { Client } from '@hubspot/api-client';
import type { HubSpotCrmConfig } from '../../config/tenants/tenant-config.js';
import type { OutboundGuard } from '../../outbound/outbound-guard.js';
import type { SecretResolver } from '../../secrets/secret-resolver.js';
import { ClientCache } from '../kernel/client-cache.js';
import { honourHubSpotHttpAgent } from './sdk-http-agent.js';

const DEFAULT_HUBSPOT_BASE_URL = 'https://api.hubapi.com';

honourHubSpotHttpAgent();

/**
 * One SDK client per tenant, rebuilt when the tenant's configuration (a new version from the tenant
 * store), token or base URL changes (a rotated secret resolves to a new value). SDK retries and its limiter stay off: the stage runner retries with
 * backoff and dead-letters, and a second retry loop inside would hide 429s from it. This matters
 * beyond our clients too: the SDK keeps its decorators in a process-wide singleton, so every Client
 * constructed must agree on them. Its node-fetch connects through the outbound guard's agent (the SDK's
 * httpAgent, see sdk-http-agent.ts), which checks the address every connection goes to, a redirect's
 * included: the SDK follows redirects and has no setting to refuse them.
 */
export class HubSpotClientFactory {
  private readonly clients: ClientCache<Client>;

  constructor(options: { maxTenants?: number } = {}) {
    this.clients = new ClientCache(options.maxTenants);
  }

  async clientFor(
    tenantId: string,
    config: HubSpotCrmConfig,
    secrets: SecretResolver,
    outbound: OutboundGuard,
  ): Promise<Client> {
    const token = await secrets.resolve(config.api_token);
    const basePath = (config.base_url ?? DEFAULT_HUBSPOT_BASE_URL).replace(/\/+$/, '');
    return this.clients.clientFor(
      tenantId,
      [config, token, basePath, outbound],
      () =>
        new Client({
          accessToken: token,
          basePath,
          numberOfApiCallRetries: 0,
          httpAgent: outbound.agentFor(basePath),
        }),
    );
  }
}
