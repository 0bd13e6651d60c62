import { type TenantConfig, tenantConfigSchema } from '../../../../src/config/tenants/tenant-config.js';
import type { ConfiguredCrmContext } from '../../../../src/crm/crm-adapter.js';
import type { ZohoCrmConfig } from '../../../../src/crm/zoho/config.js';
import type { ZohoUpsertPayload } from '../../../../src/crm/zoho/payloads.js';
import { ZohoAdapter, type ZohoAdapterOptions } from '../../../../src/crm/zoho/zoho-adapter.js';
import type { CrmCommand, CrmOperation } from '../../../../src/events/crm-command.js';
import { createLogger } from '../../../../src/observability/logger.js';
import { EnvSecretResolver } from '../../../../src/secrets/env-secret-resolver.js';
import type { Clock } from '../../../../src/time/clock.js';
import {
  startZohoEmulator,
  type ZohoEmulator,
  type ZohoEmulatorOptions,
} from '../../../emulators/zoho/emulator.js';
import { configuredFor } from '../../../support/configured-context.js';
import { crmCommandFor } from '../../../support/crm-adapter-tests.js';
import { emulatorOutbound } from '../../../support/emulator-outbound.js';

export const TENANT = 'tenant_acme';
export const CLIENT_ID = '1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123';
export const CLIENT_SECRET = 'zoho-client-secret-value';
export const REFRESH_TOKEN = '1000.refresh.token-of-tenant-acme';

const secret = (name: string) => `secret:projects/p/secrets/${name}/versions/latest`;

/** A clock tests move forward; the emulator and the adapter read the same one. */
export class ManualClock implements Clock {
  constructor(private at = Date.parse('2026-03-02T15:00:00Z')) {}
  now(): Date {
    return new Date(this.at);
  }
  ms(): number {
    return this.at;
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

export interface Harness {
  emulator: ZohoEmulator;
  adapter: ZohoAdapter;
  context: ConfiguredCrmContext<ZohoCrmConfig>;
  clock: ManualClock;
  tenant(crmConfig: Record<string, unknown>): TenantConfig;
}

export async function startHarness(
  options: {
    emulator?: Partial<ZohoEmulatorOptions>;
    crmConfig?: Record<string, unknown>;
    adapter?: ZohoAdapterOptions;
  } = {},
): Promise<Harness> {
  const clock = new ManualClock();
  const emulator = await startZohoEmulator({
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshTokens: [REFRESH_TOKEN] }],
    now: () => clock.ms(),
    ...options.emulator,
  });
  const tenant = (crmConfig: Record<string, unknown>): TenantConfig =>
    tenantConfigSchema.parse({
      tenant_id: TENANT,
      crm_config: {
        type: 'zoho',
        client_id: secret('zoho-client-id-tenant-acme'),
        client_secret: secret('zoho-client-secret-tenant-acme'),
        refresh_token: secret('zoho-refresh-token-tenant-acme'),
        data_centre: 'eu',
        accounts_url: emulator.url,
        field_mappings: { Phone: 'customer_phone', Last_Name: 'customer_name_last' },
        ...crmConfig,
      },
    });
  const secrets = new EnvSecretResolver({
    [EnvSecretResolver.variableFor('zoho-client-id-tenant-acme')]: CLIENT_ID,
    [EnvSecretResolver.variableFor('zoho-client-secret-tenant-acme')]: CLIENT_SECRET,
    [EnvSecretResolver.variableFor('zoho-refresh-token-tenant-acme')]: REFRESH_TOKEN,
  });
  const context = configuredFor('zoho', {
    tenant: tenant(options.crmConfig ?? {}),
    secrets,
    logger: createLogger({ level: 'silent' }),
    outbound: emulatorOutbound,
  });
  return { emulator, adapter: new ZohoAdapter({ clock, ...options.adapter }), context, clock, tenant };
}

export function leadOperation(
  record: ZohoUpsertPayload['record'],
  overrides: Partial<ZohoUpsertPayload> = {},
): CrmOperation {
  const payload: ZohoUpsertPayload = {
    record,
    duplicate_check_fields: ['Phone', 'Email'],
    trigger: ['workflow'],
    ...overrides,
  };
  return {
    ref: 'lead',
    kind: 'upsert_lead',
    object_type: 'Leads',
    payload_json: JSON.stringify(payload),
    link_to: null,
    action: null,
  };
}

export function command(
  callId: string,
  operations: CrmOperation[],
  action: 'update_existing' | 'skip' = 'update_existing',
): CrmCommand {
  return crmCommandFor('zoho', TENANT, callId, operations, {
    match_fields: ['phone', 'email'],
    match_strategy: 'exact',
    action,
  });
}
