import { readFile } from 'node:fs/promises';
import { configurationDiff } from '../../config/tenants/configuration-diff.js';
import { rowLabel } from '../../config/tenants/postgres/tenant-row.js';
import { databaseUrlOf } from '../database-url.js';
import { defineCommand } from '../define-command.js';
import { DATABASE_URL_OPTION, DATABASE_URL_USAGE, withTenantStore } from '../tenant-store-access.js';

export const tenantsDiffCommand = defineCommand({
  name: 'tenants diff',
  summary: "print how a tenant file differs from the tenant's configuration in the store",
  usage: `usage: leadstream tenants diff [--database-url URL] ID FILE

Prints, JSON path by JSON path, "- path: stored value" and "+ path: file's value". Exits 0 when they
are the same, 1 when they differ (as diff does). ${DATABASE_URL_USAGE}`,
  options: { ...DATABASE_URL_OPTION },
  positionals: true,
  async run({ values, positionals, refuse }, io) {
    const [tenantId, file, ...extra] = positionals;
    if (tenantId === undefined || file === undefined || extra.length > 0)
      return refuse('expects ID and FILE');
    const url = databaseUrlOf(values['database-url']);
    if (url === undefined) return refuse('no tenant store: set DATABASE_URL or pass --database-url');
    let configuration: unknown;
    try {
      configuration = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      io.stderr.write(`${file}: (root): cannot be read: ${(error as Error).message}\n`);
      return 2;
    }
    return withTenantStore(url, async (store) => {
      const stored = await store.get(tenantId);
      if (!stored) io.stdout.write(`${rowLabel(tenantId)}: not in the store\n`);
      const lines = configurationDiff(
        stored ? { ...stored.configuration, tenant_id: tenantId } : {},
        configuration,
      );
      for (const line of lines) io.stdout.write(`${line}\n`);
      return lines.length === 0 ? 0 : 1;
    });
  },
});
