import type { OutboundPolicy } from '../../../outbound/outbound-policy.js';
import { outboundUrlIssues } from '../../../outbound/tenant-urls.js';
import { parseTenantFile, type TenantFileResult } from '../directory-tenant-source.js';

/** A row of the `tenants` table (db/migrations/0001_tenants.sql) as pg returns it. */
export interface TenantRow {
  tenant_id: string;
  configuration: Record<string, unknown>;
  enabled: boolean;
  /** bigint: pg returns it as text, which is also how it is compared (as a BigInt). */
  version: string;
  updated_at: Date;
}

export const TENANT_COLUMNS = 'tenant_id, configuration, enabled, version, updated_at';

/** How a row is named in problems and logs, in the place of a file name. */
export function rowLabel(tenantId: string): string {
  return `tenants/${tenantId}`;
}

/**
 * The tenant configuration a row holds, checked exactly as `tenants validate` checks a file (size and
 * shape limits, schema, paths, templates, expressions, outbound URLs). The guide's configuration column
 * may leave tenant_id out: the row's key is the tenant's id, and one that says otherwise is a problem.
 */
export function validateTenantRow(
  tenantId: string,
  configuration: unknown,
  outbound: OutboundPolicy,
): TenantFileResult {
  const file = rowLabel(tenantId);
  if (typeof configuration !== 'object' || configuration === null || Array.isArray(configuration)) {
    return {
      file,
      issues: [{ path: '(root)', message: 'configuration must be a JSON object' }],
      warnings: [],
    };
  }
  const declared = (configuration as { tenant_id?: unknown }).tenant_id;
  if (declared !== undefined && declared !== tenantId) {
    return {
      file,
      issues: [
        { path: 'tenant_id', message: `says ${JSON.stringify(declared)}, but the row is ${tenantId}` },
      ],
      warnings: [],
    };
  }
  const result = parseTenantFile(file, JSON.stringify({ ...configuration, tenant_id: tenantId }));
  if (result.config === undefined) return result;
  const issues = outboundUrlIssues(result.config, outbound);
  return issues.length === 0 ? result : { file, issues, warnings: result.warnings };
}
