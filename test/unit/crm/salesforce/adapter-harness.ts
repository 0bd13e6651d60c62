import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { type TenantConfig, tenantConfigSchema } from '../../../../src/config/tenants/tenant-config.js';
import type { ConfiguredCrmContext } from '../../../../src/crm/crm-adapter.js';
import type { SalesforceCrmConfig } from '../../../../src/crm/salesforce/config.js';
import type { SalesforceRecordPayload } from '../../../../src/crm/salesforce/payloads.js';
import {
  SalesforceAdapter,
  type SalesforceAdapterOptions,
} from '../../../../src/crm/salesforce/salesforce-adapter.js';
import type { CrmCommand, CrmOperation, DuplicateRule } from '../../../../src/events/crm-command.js';
import { createLogger } from '../../../../src/observability/logger.js';
import { EnvSecretResolver } from '../../../../src/secrets/env-secret-resolver.js';
import {
  type SalesforceEmulator,
  type SalesforceEmulatorOptions,
  startSalesforceEmulator,
} from '../../../emulators/salesforce/emulator.js';
import { configuredFor } from '../../../support/configured-context.js';
import { crmCommandFor } from '../../../support/crm-adapter-tests.js';
import { emulatorOutbound } from '../../../support/emulator-outbound.js';

export const TENANT = 'tenant_acme';
export const CONSUMER_KEY = '3MVG9A2kN3Bn17hsTestConsumerKey';
export const USERNAME = 'api@company.com';
export const TOP_REP = '0055g000000TopRepAAA';

export interface KeyPair {
  privateKeyPem: string;
  publicKey: KeyObject;
}

/** A fresh RSA key pair, as the guide's `openssl genrsa` makes (PKCS#8 PEM). */
export function rsaKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}

let sharedKeys: KeyPair | undefined;
/** Key generation takes a moment; one pair serves a test file. */
export function testKeys(): KeyPair {
  sharedKeys ??= rsaKeyPair();
  return sharedKeys;
}

const secret = (name: string) => `secret:projects/p/secrets/${name}/versions/latest`;

export interface Harness {
  emulator: SalesforceEmulator;
  adapter: SalesforceAdapter;
  context: ConfiguredCrmContext<SalesforceCrmConfig>;
  /** A fresh adapter: a restarted process, with none of the first one's memory (tokens included). */
  restartedAdapter(): SalesforceAdapter;
}

export async function startHarness(
  options: {
    emulator?: Partial<SalesforceEmulatorOptions>;
    crmConfig?: Record<string, unknown>;
    adapter?: SalesforceAdapterOptions;
    privateKeyPem?: string;
  } = {},
): Promise<Harness> {
  const keys = testKeys();
  const emulator = await startSalesforceEmulator({
    connectedApps: [{ consumerKey: CONSUMER_KEY, certificate: keys.publicKey, usernames: [USERNAME] }],
    assignmentRuleOwnerId: TOP_REP,
    ...options.emulator,
  });
  const tenant: TenantConfig = tenantConfigSchema.parse({
    tenant_id: TENANT,
    crm_config: {
      type: 'salesforce',
      instance_url: emulator.url,
      login_url: emulator.url,
      consumer_key: secret('sf-consumer-key-tenant-acme'),
      private_key: secret('sf-private-key-tenant-acme'),
      username: secret('sf-username-tenant-acme'),
      api_version: 'v62.0',
      object_mappings: { lead: { Phone: 'customer_phone', LastName: 'customer_name_last' } },
      ...options.crmConfig,
    },
  });
  const secrets = new EnvSecretResolver({
    [EnvSecretResolver.variableFor('sf-consumer-key-tenant-acme')]: CONSUMER_KEY,
    [EnvSecretResolver.variableFor('sf-private-key-tenant-acme')]:
      options.privateKeyPem ?? keys.privateKeyPem,
    [EnvSecretResolver.variableFor('sf-username-tenant-acme')]: USERNAME,
  });
  const context = configuredFor('salesforce', {
    tenant,
    secrets,
    logger: createLogger({ level: 'silent' }),
    outbound: emulatorOutbound,
  });
  return {
    emulator,
    adapter: new SalesforceAdapter(options.adapter),
    context,
    restartedAdapter: () => new SalesforceAdapter(options.adapter),
  };
}

export const PHONE_FIRST: DuplicateRule = {
  match_fields: ['phone', 'email'],
  match_strategy: 'exact',
  action: 'update_existing',
};

type Fields = SalesforceRecordPayload['fields'];

export function leadOperation(fields: Fields): CrmOperation {
  return {
    ref: 'lead',
    kind: 'upsert_lead',
    object_type: 'Lead',
    payload_json: JSON.stringify({ fields }),
    link_to: null,
    action: null,
  };
}

export function taskOperation(fields: Fields): CrmOperation {
  return {
    ref: 'task',
    kind: 'create_task',
    object_type: 'Task',
    payload_json: JSON.stringify({ fields }),
    link_to: 'lead',
    action: null,
  };
}

export function workflowOperation(action: string): CrmOperation {
  return {
    ref: `workflow_${action}`,
    kind: 'workflow_action',
    object_type: 'Lead',
    payload_json: '{}',
    link_to: 'lead',
    action,
  };
}

export function command(
  callId: string,
  operations: CrmOperation[],
  duplicateDetection: DuplicateRule | null = PHONE_FIRST,
): CrmCommand {
  return crmCommandFor('salesforce', TENANT, callId, operations, duplicateDetection);
}
