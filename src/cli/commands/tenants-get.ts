import { rowLabel } from '../../config/tenants/postgres/tenant-row.js';
import { databaseUrlOf } from '../database-url.js';
import { defineCommand } from '../define-command.js';
import { DATABASE_URL_OPTION, DATABASE_URL_USAGE, withTenantStore } from '../tenant-store-access.js';

export const tenantsGetCommand = defineCommand({
  name: 'tenants get',
  summary: "print a tenant's configuration from the tenant store",
  usage: `usage: leadstream tenants get [--database-url URL] ID

Prints the configuration as JSON on stdout (a file \`tenants apply\` takes back), and its version,
enabled flag and last change on stderr. Secrets are secret: references, never values. Exits 1 when
there is no such tenant. ${DATABASE_URL_USAGE}`,
  options: { ...DATABASE_URL_OPTION },
  positionals: true,
  async run({ values, positionals, refuse }, io) {
    const [tenantId, ...extra] = positionals;
    if (tenantId === undefined || extra.length > 0) return refuse('expects one ID');
    const url = databaseUrlOf(values['database-url']);
    if (url === undefined) return refuse('no tenant store: set DATABASE_URL or pass --database-url');
    return withTenantStore(url, async (store) => {
      const row = await store.get(tenantId);
      if (!row) {
        io.stderr.write(`${rowLabel(tenantId)}: no such tenant\n`);
        return 1;
      }
      io.stderr.write(
        `${rowLabel(tenantId)}: version ${row.version}, ${row.enabled ? 'enabled' : 'disabled'}, updated ${row.updated_at.toISOString()}\n`,
      );
      io.stdout.write(`${JSON.stringify({ tenant_id: tenantId, ...row.configuration }, null, 2)}\n`);
      return 0;
    });
  },
});
