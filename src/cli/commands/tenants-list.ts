import { databaseUrlOf } from '../database-url.js';
import { defineCommand } from '../define-command.js';
import { DATABASE_URL_OPTION, DATABASE_URL_USAGE, withTenantStore } from '../tenant-store-access.js';

export const tenantsListCommand = defineCommand({
  name: 'tenants list',
  summary: 'list the tenants in the tenant store: CRM type, enabled, version, last change',
  usage: `usage: leadstream tenants list [--database-url URL]

One line per tenant: id, CRM type, enabled or disabled, version, updated_at (UTC). ${DATABASE_URL_USAGE}`,
  options: { ...DATABASE_URL_OPTION },
  positionals: false,
  async run({ values, refuse }, io) {
    const url = databaseUrlOf(values['database-url']);
    if (url === undefined) return refuse('no tenant store: set DATABASE_URL or pass --database-url');
    return withTenantStore(url, async (store) => {
      const rows = (await store.list()).map((row) => {
        const crm = (row.configuration.crm_config as { type?: unknown } | undefined)?.type;
        return [
          row.tenant_id,
          typeof crm === 'string' ? crm : '?',
          row.enabled ? 'enabled' : 'disabled',
          row.version,
          row.updated_at.toISOString(),
        ];
      });
      const table = [['TENANT', 'CRM', 'STATE', 'VERSION', 'UPDATED_AT'], ...rows];
      const widths =
        table[0]?.map((_, column) => Math.max(...table.map((line) => line[column]?.length ?? 0))) ?? [];
      for (const line of table) {
        io.stdout.write(
          `${line
            .map((cell, column) => cell.padEnd(widths[column] ?? 0))
            .join('  ')
            .trimEnd()}\n`,
        );
      }
      return 0;
    });
  },
});
