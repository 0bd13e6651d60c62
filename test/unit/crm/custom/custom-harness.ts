import { afterEach } from 'vitest';
import { type TenantConfig, tenantConfigSchema } from '../../../../src/config/tenants/tenant-config.js';
import type { ConfiguredCrmContext } from '../../../../src/crm/crm-adapter.js';
import type { CustomCrmConfig } from '../../../../src/crm/custom/config.js';
import type { CrmCommand } from '../../../../src/events/crm-command.js';
import { buildCrmCommand } from '../../../../src/mapping/build-command.js';
import { createLogger } from '../../../../src/observability/logger.js';
import { EnvSecretResolver } from '../../../../src/secrets/env-secret-resolver.js';
import { configuredFor } from '../../../support/configured-context.js';
import { emulatorOutbound } from '../../../support/emulator-outbound.js';
import { guideEnrichedCall } from '../../../support/guide-fixtures.js';
import { type CustomCrmServer, type ServerAuth, startCustomCrmServer } from './custom-crm-server.js';

export const TENANT = 'tenant_acme';
export const TOKEN = 'crm-token-5f2b9c7e1d';
export const secret = (name: string) => `secret:projects/p/secrets/${name}/versions/latest`;
/** Every credential the custom REST tests configure, by the secret name they reference. */
export const SECRETS = new EnvSecretResolver({
  [EnvSecretResolver.variableFor('crm-token')]: TOKEN,
  [EnvSecretResolver.variableFor('crm-user')]: 'leadstream',
  [EnvSecretResolver.variableFor('crm-password')]: 'pa55:word-7731',
  [EnvSecretResolver.variableFor('crm-key')]: 'key-9d8c7b6a5f',
  [EnvSecretResolver.variableFor('crm-client-id')]: 'client-leadstream',
  [EnvSecretResolver.variableFor('crm-client-secret')]: 'client-secret-0a1b2c3d',
  [EnvSecretResolver.variableFor('wrong-token')]: 'not-the-token-4242',
});

/**
 * The server starter of a test file: every CRM server a test started is closed after it, passed or
 * failed. A server wants the bearer TOKEN unless told otherwise.
 */
export function serversPerTest(): (auth?: ServerAuth, idShape?: 'top' | 'data') => Promise<CustomCrmServer> {
  const running: CustomCrmServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
  });
  return async (auth = { type: 'bearer', token: TOKEN }, idShape) => {
    const started = await startCustomCrmServer({ auth, ...(idShape === undefined ? {} : { idShape }) });
    running.push(started);
    return started;
  };
}

export function tenant(crmConfig: Record<string, unknown>): TenantConfig {
  return tenantConfigSchema.parse({ tenant_id: TENANT, crm_config: crmConfig });
}

/** The guide's enriched call, as the mapper makes it a command for this tenant, at a fixed time. */
export function commandFor(config: TenantConfig, callId = 'CAL_1'): CrmCommand {
  const event = guideEnrichedCall();
  event.call.tenant_id = TENANT;
  event.call.call_id = callId;
  return buildCrmCommand(event, config, { now: () => new Date('2026-11-25T17:20:00Z') });
}

export const quiet = (config: TenantConfig): ConfiguredCrmContext<CustomCrmConfig> =>
  configuredFor('custom', {
    tenant: config,
    secrets: SECRETS,
    logger: createLogger({ level: 'silent' }),
    outbound: emulatorOutbound,
  });
