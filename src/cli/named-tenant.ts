import { parseArgs } from 'node:util';
import { loadSettings, type Settings } from '../config/settings.js';
import { DirectoryTenantSource } from '../config/tenants/directory-tenant-source.js';
import type { TenantConfig } from '../config/tenants/tenant-config.js';
import type { CliCommand, CliIO } from './cli-command.js';

export interface NamedTenant {
  tenant: TenantConfig;
  settings: Settings;
}

/**
 * The tenant a `--tenant TENANT_ID` command names, read from TENANT_CONFIG_DIR. Undefined once it
 * has said on stderr why not (no --tenant: the usage; an unknown id: where it looked), and the
 * command then exits 2.
 */
export async function loadNamedTenant(
  args: string[],
  command: Pick<CliCommand, 'name' | 'usage'>,
  io: CliIO,
): Promise<NamedTenant | undefined> {
  const { values } = parseArgs({ args, strict: true, options: { tenant: { type: 'string' } } });
  if (values.tenant === undefined) {
    io.stderr.write(`${command.usage}\n`);
    return undefined;
  }
  const settings = loadSettings();
  const tenant = await (
    await DirectoryTenantSource.load(settings.TENANT_CONFIG_DIR, settings.OUTBOUND_ALLOWED_HOSTS)
  ).get(values.tenant);
  if (!tenant) {
    io.stderr.write(
      `leadstream ${command.name}: no tenant ${values.tenant} in ${settings.TENANT_CONFIG_DIR}\n`,
    );
    return undefined;
  }
  return { tenant, settings };
}
