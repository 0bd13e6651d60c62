import { rowLabel } from '../../config/tenants/postgres/tenant-row.js';
import type { CliCommand } from '../cli-command.js';
import { databaseUrlOf } from '../database-url.js';
import { defineCommand } from '../define-command.js';
import { DATABASE_URL_OPTION, DATABASE_URL_USAGE, withTenantStore } from '../tenant-store-access.js';

function enabledCommand(enabled: boolean): CliCommand {
  const verb = enabled ? 'enable' : 'disable';
  return defineCommand({
    name: `tenants ${verb}`,
    summary: enabled
      ? 'enable a tenant in the tenant store: its calls are delivered again'
      : 'disable a tenant in the tenant store: its calls are kept as dead letters (tenant_disabled)',
    usage: `usage: leadstream tenants ${verb} [--database-url URL] ID

${
  enabled
    ? "Running roles deliver the tenant's calls again within seconds; `leadstream dlq replay --error-type tenant_disabled` sends the ones kept while it was disabled."
    : "Within seconds every role dead-letters the tenant's calls as tenant_disabled instead of delivering them (the gateway still accepts them), to replay once it is enabled."
} Exits 1 when there is no such tenant. ${DATABASE_URL_USAGE}`,
    options: { ...DATABASE_URL_OPTION },
    positionals: true,
    async run({ values, positionals, refuse }, io) {
      const [tenantId, ...extra] = positionals;
      if (tenantId === undefined || extra.length > 0) return refuse('expects one ID');
      const url = databaseUrlOf(values['database-url']);
      if (url === undefined) return refuse('no tenant store: set DATABASE_URL or pass --database-url');
      return withTenantStore(url, async (store) => {
        const version = await store.setEnabled(tenantId, enabled);
        if (version === undefined) {
          io.stderr.write(`${rowLabel(tenantId)}: no such tenant\n`);
          return 1;
        }
        io.stdout.write(`${rowLabel(tenantId)}: ${enabled ? 'enabled' : 'disabled'} (version ${version})\n`);
        return 0;
      });
    },
  });
}

export const tenantsEnableCommand = enabledCommand(true);
export const tenantsDisableCommand = enabledCommand(false);
