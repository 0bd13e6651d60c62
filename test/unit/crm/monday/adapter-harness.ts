import { type TenantConfig, tenantConfigSchema } from '../../../../src/config/tenants/tenant-config.js';
import type { ConfiguredCrmContext } from '../../../../src/crm/crm-adapter.js';
import type { MondayCrmConfig } from '../../../../src/crm/monday/config.js';
import { MondayAdapter, type MondayAdapterOptions } from '../../../../src/crm/monday/monday-adapter.js';
import type { MondayItemPayload } from '../../../../src/crm/monday/payloads.js';
import type { CrmCommand, CrmOperation, DuplicateRule } from '../../../../src/events/crm-command.js';
import { createLogger } from '../../../../src/observability/logger.js';
import { EnvSecretResolver } from '../../../../src/secrets/env-secret-resolver.js';
import {
  type MondayEmulator,
  type MondayEmulatorOptions,
  startMondayEmulator,
} from '../../../emulators/monday/emulator.js';
import { configuredFor } from '../../../support/configured-context.js';
import { crmCommandFor } from '../../../support/crm-adapter-tests.js';
import { emulatorOutbound } from '../../../support/emulator-outbound.js';

export const TENANT = 'tenant_acme';
export const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.monday-personal-token';
export const BOARD = '1234567890';
const SECRET_REF = 'secret:projects/p/secrets/monday-token-tenant-acme/versions/latest';

export interface Harness {
  emulator: MondayEmulator;
  adapter: MondayAdapter;
  context: ConfiguredCrmContext<MondayCrmConfig>;
  tenant(crmConfig: Record<string, unknown>): TenantConfig;
}

export async function startHarness(
  options: {
    emulator?: Partial<MondayEmulatorOptions>;
    crmConfig?: Record<string, unknown>;
    adapter?: MondayAdapterOptions;
  } = {},
): Promise<Harness> {
  const emulator = await startMondayEmulator({ tokens: [TOKEN], ...options.emulator });
  const tenant = (crmConfig: Record<string, unknown>): TenantConfig =>
    tenantConfigSchema.parse({
      tenant_id: TENANT,
      crm_config: {
        type: 'monday',
        api_token: SECRET_REF,
        api_url: emulator.apiUrl,
        board_id: BOARD,
        ...crmConfig,
      },
    });
  const secrets = new EnvSecretResolver({
    [EnvSecretResolver.variableFor('monday-token-tenant-acme')]: TOKEN,
  });
  const context = configuredFor('monday', {
    tenant: tenant(options.crmConfig ?? {}),
    secrets,
    logger: createLogger({ level: 'silent' }),
    outbound: emulatorOutbound,
  });
  return { emulator, adapter: new MondayAdapter(options.adapter), context, tenant };
}

export const PHONE_FIRST: DuplicateRule = {
  match_fields: ['phone'],
  match_strategy: 'exact',
  action: 'update_existing',
};

export function itemOperation(item: Partial<MondayItemPayload> = {}): CrmOperation {
  const payload: MondayItemPayload = {
    board_id: BOARD,
    group_id: 'topics',
    item_name: 'Jane Doe',
    columns: { Phone: '+15125550143', City: 'Los Angeles', 'Lead Score': 92, Status: 'New Lead' },
    match_column: 'Phone',
    match_value: '+15125550143',
    ...item,
  };
  return {
    ref: 'item',
    kind: 'upsert_contact',
    object_type: 'items',
    payload_json: JSON.stringify(payload),
    link_to: null,
    action: null,
  };
}

export function command(
  callId: string,
  operations: CrmOperation[],
  duplicateDetection: DuplicateRule | null = PHONE_FIRST,
): CrmCommand {
  return crmCommandFor('monday', TENANT, callId, operations, duplicateDetection);
}
