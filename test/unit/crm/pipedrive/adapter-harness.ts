import { type TenantConfig, tenantConfigSchema } from '../../../../src/config/tenants/tenant-config.js';
import type { ConfiguredCrmContext } from '../../../../src/crm/crm-adapter.js';
import type { PipedriveCrmConfig } from '../../../../src/crm/pipedrive/config.js';
import {
  PipedriveAdapter,
  type PipedriveAdapterOptions,
} from '../../../../src/crm/pipedrive/pipedrive-adapter.js';
import type { CrmCommand } from '../../../../src/events/crm-command.js';
import type { EnrichedCall } from '../../../../src/events/enriched-call.js';
import { buildCrmCommand } from '../../../../src/mapping/build-command.js';
import { createLogger } from '../../../../src/observability/logger.js';
import { EnvSecretResolver } from '../../../../src/secrets/env-secret-resolver.js';
import { fixedClock } from '../../../../src/time/clock.js';
import {
  DEFAULT_TOKEN,
  type PipedriveEmulator,
  type PipedriveEmulatorOptions,
  startPipedriveEmulator,
} from '../../../emulators/pipedrive/emulator.js';
import { configuredFor } from '../../../support/configured-context.js';
import { emulatorOutbound } from '../../../support/emulator-outbound.js';
import { guideCallOf, guideCrmConfig } from '../../../support/guide-fixtures.js';

export const TENANT = 'tenant_acme';
const SECRET_NAME = 'pipedrive-token-tenant-acme';

export interface Harness {
  emulator: PipedriveEmulator;
  adapter: PipedriveAdapter;
  tenant: TenantConfig;
  context: ConfiguredCrmContext<PipedriveCrmConfig>;
  /** The command the mapping stage builds for this call under the tenant's configuration (changed by `change`). */
  commandFor(call: EnrichedCall, change?: Record<string, unknown>): CrmCommand;
  /** A fresh adapter: a restarted process, with none of the first one's memory. */
  restartedAdapter(): PipedriveAdapter;
}

/**
 * The setup guide's Pipedrive block, its token resolved from a secret reference, pointed at an
 * emulator through `api_base_url`, with a follow-up task for immediate timelines and callers matched
 * by phone, then email.
 */
export async function startHarness(
  options: {
    emulator?: PipedriveEmulatorOptions;
    crmConfig?: Record<string, unknown>;
    adapter?: PipedriveAdapterOptions;
    token?: string;
  } = {},
): Promise<Harness> {
  const emulator = await startPipedriveEmulator(options.emulator);
  const crmConfig = {
    ...guideCrmConfig('pipedrive'),
    api_token: `secret:projects/p/secrets/${SECRET_NAME}/versions/latest`,
    api_base_url: `${emulator.url}/api/v2`,
    workflow_triggers: {
      immediate_timeline: { condition: "ai_analysis.timeline == 'immediate'", actions: ['create_task'] },
    },
    // Returning callers are matched where the tenant asks, as for every CRM (the guide's block does not).
    duplicate_detection: { enabled: true, match_fields: ['phone', 'email'] },
    ...options.crmConfig,
  };
  const tenantWith = (change: Record<string, unknown>): TenantConfig =>
    tenantConfigSchema.parse({ tenant_id: TENANT, crm_config: { ...crmConfig, ...change } });
  const tenant = tenantWith({});
  const secrets = new EnvSecretResolver({
    [EnvSecretResolver.variableFor(SECRET_NAME)]: options.token ?? DEFAULT_TOKEN,
  });
  const context = configuredFor('pipedrive', {
    tenant,
    secrets,
    logger: createLogger({ level: 'silent' }),
    outbound: emulatorOutbound,
  });
  return {
    emulator,
    adapter: new PipedriveAdapter(options.adapter),
    tenant,
    context,
    commandFor: (call, change = {}) =>
      buildCrmCommand(call, tenantWith(change), fixedClock('2026-11-25T17:20:00.000Z')),
    restartedAdapter: () => new PipedriveAdapter(options.adapter),
  };
}

/** The guide's call (Jane Doe, a kitchen, score 92, immediate) under this tenant, changed as a scenario needs. */
export const call = (callId: string, change?: (call: EnrichedCall) => void): EnrichedCall =>
  guideCallOf(TENANT, callId, change);
