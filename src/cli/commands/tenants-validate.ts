import { loadSettings } from '../../config/settings.js';
import { validateTenantFile } from '../../config/tenants/directory-tenant-source.js';
import { defineCommand } from '../define-command.js';

export const tenantsValidateCommand = defineCommand({
  name: 'tenants validate',
  summary: 'check tenant configuration files, printing every problem with its JSON path',
  usage: `usage: leadstream tenants validate FILE...

Checks each tenant file against the configuration language (schema, paths, templates, expressions) and
prints every problem as FILE: JSON.PATH: what is wrong (a URL the outbound policy refuses included: https
only, no loopback, link-local, private or unique-local address unless OUTBOUND_ALLOWED_HOSTS, read from
the environment as the deployment would, allows it), and every warning (a value that may not mean what
was intended, such as literal text that looks like a call field) as FILE: warning: JSON.PATH: why.
Exits 1 when any file has a problem; warnings alone do not fail.`,
  options: {},
  positionals: true,
  async run({ positionals: files, refuse }, io) {
    if (files.length === 0) return refuse('missing FILE');
    const outbound = loadSettings().OUTBOUND_ALLOWED_HOSTS;
    let failed = 0;
    for (const file of files) {
      let result: Awaited<ReturnType<typeof validateTenantFile>>;
      try {
        result = await validateTenantFile(file, outbound);
      } catch (error) {
        io.stderr.write(`${file}: cannot be read: ${(error as Error).message}\n`);
        failed += 1;
        continue;
      }
      for (const issue of result.issues) io.stderr.write(`${file}: ${issue.path}: ${issue.message}\n`);
      for (const warning of result.warnings) {
        io.stderr.write(`${file}: warning: ${warning.path}: ${warning.message}\n`);
      }
      if (result.issues.length > 0) failed += 1;
      else io.stdout.write(`${file}: ok (tenant ${result.config?.tenant_id})\n`);
    }
    return failed > 0 ? 1 : 0;
  },
});
