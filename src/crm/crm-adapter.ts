import type { TenantConfig } from '../config/tenants/tenant-config.js';
import type { CrmCommand } from '../events/crm-command.js';
import type { Logger } from '../observability/logger.js';
import type { OutboundGuard } from '../outbound/outbound-guard.js';
import type { SecretResolver } from '../secrets/secret-resolver.js';

/** What happened to one operation of a command in the CRM. */
export interface OperationOutcome {
  ref: string;
  object_type: string;
  /** The CRM's id of the record created, updated or found. */
  id: string;
  action: 'created' | 'updated' | 'skipped';
}

export interface DeliveryResult {
  outcomes: OperationOutcome[];
}

/** Everything an adapter may use besides the command itself. */
export interface CrmContext {
  tenant: TenantConfig;
  secrets: SecretResolver;
  logger: Logger;
  /** What the tenant's URLs may reach: every request to the CRM connects through it. */
  outbound: OutboundGuard;
}

/**
 * One CRM behind one interface. execute() makes the CRM match the command and is safe to repeat
 * (find before create), because Kafka may deliver a command more than once. Failures are thrown
 * as LeadstreamError with a crm_* type, classified retryable or permanent.
 */
export interface CrmAdapter {
  /** The catalog's key of its CRM (src/crm/catalog.ts). */
  readonly type: string;
  execute(command: CrmCommand, context: CrmContext): Promise<DeliveryResult>;
}

/**
 * The context an adapter is handed: the tenant's `crm_config` already narrowed to the adapter's CRM, as
 * its definition's config schema parsed it (the registry refuses a tenant configured for another CRM),
 * and the logger already naming the command's tenant and call.
 */
export type ConfiguredCrmContext<C> = CrmContext & { config: C };

/** What a CRM's definition builds: an adapter handed the tenant's configuration already narrowed to its CRM. */
export interface DefinedCrmAdapter<C> {
  execute(command: CrmCommand, context: ConfiguredCrmContext<C>): Promise<DeliveryResult>;
}
