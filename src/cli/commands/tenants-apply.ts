import { readFile } from 'node:fs/promises';
import { loadSettings } from '../../config/settings.js';
import { configurationDiff } from '../../config/tenants/configuration-diff.js';
import { validateTenantFile } from '../../config/tenants/directory-tenant-source.js';
import { rowLabel } from '../../config/tenants/postgres/tenant-row.js';
import { rawSecretIssues } from '../../config/tenants/raw-secrets.js';
import { databaseUrlOf } from '../database-url.js';
import { defineCommand } from '../define-command.js';
import { DATABASE_URL_OPTION, DATABASE_URL_USAGE, withTenantStore } from '../tenant-store-access.js';

interface Checked {
  file: string;
  tenantId: string;
  configuration: Record<string, unknown>;
}

export const tenantsApplyCommand = defineCommand({
  name: 'tenants apply',
  summary: 'validate tenant files, then write them to the tenant store (PostgreSQL)',
  usage: `usage: leadstream tenants apply [--dry-run] [--database-url URL] FILE...

Checks every file as \`tenants validate\` does, and refuses a credential written as a value where the
guide puts a secret: reference (api_token, private_key, signing_secret, ...), printing each problem as
FILE: JSON.PATH: what is wrong. Only when every file passes are they written, together in one
transaction; a file equal to what is stored is left alone (its version does not change). Running roles
take the new versions within seconds. --dry-run prints what would change, path by path, and writes
nothing. ${DATABASE_URL_USAGE}`,
  options: { 'dry-run': { type: 'boolean' }, ...DATABASE_URL_OPTION },
  positionals: true,
  async run({ values, positionals: files, refuse }, io) {
    if (files.length === 0) return refuse('missing FILE');
    const url = databaseUrlOf(values['database-url']);
    if (url === undefined) return refuse('no tenant store: set DATABASE_URL or pass --database-url');
    const outbound = loadSettings().OUTBOUND_ALLOWED_HOSTS;
    const checked: Checked[] = [];
    let failed = 0;
    for (const file of files) {
      const result = await validateTenantFile(file, outbound).catch((error: unknown) => ({
        file,
        config: undefined,
        issues: [{ path: '(root)', message: `cannot be read: ${(error as Error).message}` }],
        warnings: [],
      }));
      const configuration = result.config
        ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>)
        : undefined;
      const issues = [...result.issues, ...rawSecretIssues(configuration)];
      for (const issue of issues) io.stderr.write(`${file}: ${issue.path}: ${issue.message}\n`);
      for (const warning of result.warnings)
        io.stderr.write(`${file}: warning: ${warning.path}: ${warning.message}\n`);
      const tenantId = result.config?.tenant_id;
      if (issues.length > 0 || tenantId === undefined || configuration === undefined) {
        failed += 1;
        continue;
      }
      const twin = checked.find((c) => c.tenantId === tenantId);
      if (twin) {
        io.stderr.write(`${file}: tenant_id: ${tenantId} is also in ${twin.file}\n`);
        failed += 1;
        continue;
      }
      checked.push({ file, tenantId, configuration });
    }
    if (failed > 0) {
      io.stderr.write(`nothing applied: ${failed} of ${files.length} files refused\n`);
      return 1;
    }
    return withTenantStore(url, async (store) => {
      if (values['dry-run'] === true) {
        for (const { file, tenantId, configuration } of checked) {
          const stored = await store.get(tenantId);
          const lines = configurationDiff(
            stored ? { ...stored.configuration, tenant_id: tenantId } : {},
            configuration,
          );
          const what = !stored
            ? 'new tenant'
            : lines.length === 0
              ? 'unchanged'
              : `changes version ${stored.version}`;
          io.stdout.write(`${file}: ${rowLabel(tenantId)}: ${what}\n`);
          for (const line of lines) io.stdout.write(`  ${line}\n`);
        }
        return 0;
      }
      const results = await store.upsert(checked);
      results.forEach(({ tenantId, version, outcome }, index) => {
        io.stdout.write(`${checked[index]?.file}: ${rowLabel(tenantId)}: ${outcome} (version ${version})\n`);
      });
      return 0;
    });
  },
});
