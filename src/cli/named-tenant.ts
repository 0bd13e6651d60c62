import { loadSettings, type Settings } from '../config/settings.js';
import { DirectoryTenantSource } from '../config/tenants/directory-tenant-source.js';
import type { TenantConfig } from '../config/tenants/tenant-config.js';
import type { CliIO } from './cli-command.js';

export interface NamedTenant {
  tenant: TenantConfig;
  settings: Settings;
}

/**
 * The tenant a `--tenant TENANT_ID` command names, read from TENANT_CONFIG_DIR. Undefined once it has
 * said on stderr where it looked for an unknown id, and the command then exits 2.
 */
export async function loadNamedTenant(
  tenantId: string,
  commandName: string,
  io: CliIO,
): Promise<NamedTenant | undefined> {
  const settings = loadSettings();
  const tenant = await (
    await DirectoryTenantSource.load(settings.TENANT_CONFIG_DIR, settings.OUTBOUND_ALLOWED_HOSTS)
  ).get(tenantId);
  if (!tenant) {
    io.stderr.write(`leadstream ${commandName}: no tenant ${tenantId} in ${settings.TENANT_CONFIG_DIR}\n`);
    return undefined;
  }
  return { tenant, settings };
}
