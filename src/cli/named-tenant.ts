import { loadSettings, type Settings } from '../config/settings.js';
import { DirectoryTenantSource } from '../config/tenants/directory-tenant-source.js';
import { rowLabel, validateTenantRow } from '../config/tenants/postgres/tenant-row.js';
import type { TenantConfig } from '../config/tenants/tenant-config.js';
import type { CliIO } from './cli-command.js';
import { withTenantStore } from './tenant-store-access.js';

export interface NamedTenant {
  tenant: TenantConfig;
  settings: Settings;
  /** False for a tenant the store holds disabled: the pipeline keeps its calls as dead letters. */
  enabled: boolean;
}

/**
 * The tenant a `--tenant TENANT_ID` command names, from where the roles read tenants (TENANT_STORE):
 * TENANT_CONFIG_DIR, or the PostgreSQL store at DATABASE_URL, whose row is checked as the roles check
 * it. Undefined once it has said on stderr where it looked for an unknown id, or what is wrong with the
 * stored configuration, and the command then exits 2.
 */
export async function loadNamedTenant(
  tenantId: string,
  commandName: string,
  io: CliIO,
): Promise<NamedTenant | undefined> {
  const settings = loadSettings();
  if (settings.TENANT_STORE === 'postgres' && settings.DATABASE_URL !== undefined) {
    return storedTenant(tenantId, commandName, settings, settings.DATABASE_URL, io);
  }
  const tenant = await (
    await DirectoryTenantSource.load(settings.TENANT_CONFIG_DIR, settings.OUTBOUND_ALLOWED_HOSTS)
  ).get(tenantId);
  if (!tenant) {
    io.stderr.write(`leadstream ${commandName}: no tenant ${tenantId} in ${settings.TENANT_CONFIG_DIR}\n`);
    return undefined;
  }
  return { tenant, settings, enabled: true };
}

async function storedTenant(
  tenantId: string,
  commandName: string,
  settings: Settings,
  url: string,
  io: CliIO,
): Promise<NamedTenant | undefined> {
  const row = await withTenantStore(url, (store) => store.get(tenantId));
  if (!row) {
    io.stderr.write(
      `leadstream ${commandName}: no tenant ${tenantId} in the tenant store (TENANT_STORE=postgres); \`leadstream tenants list\` shows its tenants\n`,
    );
    return undefined;
  }
  const result = validateTenantRow(tenantId, row.configuration, settings.OUTBOUND_ALLOWED_HOSTS);
  if (result.config === undefined) {
    for (const issue of result.issues) {
      io.stderr.write(`${rowLabel(tenantId)}: ${issue.path}: ${issue.message}\n`);
    }
    io.stderr.write(
      `leadstream ${commandName}: tenant ${tenantId}'s stored configuration (version ${row.version}) is refused, as the roles refuse it\n`,
    );
    return undefined;
  }
  return { tenant: result.config, settings, enabled: row.enabled };
}
