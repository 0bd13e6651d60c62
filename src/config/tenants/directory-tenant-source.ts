import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import { compileMapping } from '../../mapping/compile-mapping.js';
import { workflowActionIssues } from '../../notifications/workflow-actions.js';
import type { OutboundPolicy } from '../../outbound/outbound-policy.js';
import { outboundUrlIssues } from '../../outbound/tenant-urls.js';
import { fileSizeIssue, jsonLimitIssues } from '../json-limits.js';
import { type ConfigIssue, issuesFromZod } from '../validation-issues.js';
import { type TenantConfig, tenantConfigSchema } from './tenant-config.js';
import type { TenantConfigSource } from './tenant-config-source.js';

export interface TenantFileResult {
  file: string;
  config?: TenantConfig;
  issues: ConfigIssue[];
  /** What is valid but may not mean what the admin thinks (a literal that looks like a field name). */
  warnings: ConfigIssue[];
}

/** Parses and validates one tenant file's text; every problem is reported, not just the first. */
export function parseTenantFile(file: string, text: string): TenantFileResult {
  const tooLong = fileSizeIssue(Buffer.byteLength(text));
  if (tooLong) return { file, issues: [tooLong], warnings: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      file,
      issues: [{ path: '(root)', message: `not valid JSON: ${(error as Error).message}` }],
      warnings: [],
    };
  }
  const tooLarge = jsonLimitIssues(json);
  if (tooLarge.length > 0) return { file, issues: tooLarge, warnings: [] };
  const parsed = tenantConfigSchema.safeParse(json);
  if (!parsed.success) return { file, issues: issuesFromZod(parsed.error), warnings: [] };
  // Paths, templates and expressions are checked now, so a typo fails the file at load, not a live call.
  const mapping = compileMapping(parsed.data.crm_config);
  const actions = workflowActionIssues(parsed.data);
  const errors = [...mapping.errors, ...actions.errors];
  const warnings = [...mapping.warnings, ...actions.warnings];
  if (errors.length > 0) return { file, issues: errors, warnings };
  return { file, config: parsed.data, issues: [], warnings };
}

export async function readTenantFile(file: string): Promise<TenantFileResult> {
  // A file too large is refused before it is read into memory.
  const tooLarge = fileSizeIssue((await stat(file)).size);
  if (tooLarge) return { file, issues: [tooLarge], warnings: [] };
  return parseTenantFile(file, await readFile(file, 'utf8'));
}

/**
 * A tenant file as a deployment would run it: readTenantFile's checks, and every URL the tenant would
 * call checked against the deployment's outbound policy.
 */
export async function validateTenantFile(file: string, outbound: OutboundPolicy): Promise<TenantFileResult> {
  const result = await readTenantFile(file);
  if (result.config === undefined) return result;
  const issues = outboundUrlIssues(result.config, outbound);
  return issues.length === 0 ? result : { file, issues, warnings: result.warnings };
}

/**
 * Tenant configuration from a directory of `*.json` files, one per tenant, loaded and validated
 * once at start: a process never runs with a configuration it could not read.
 */
export class DirectoryTenantSource implements TenantConfigSource {
  private constructor(
    private readonly byTenant: ReadonlyMap<string, TenantConfig>,
    private readonly byCompany: ReadonlyMap<string, TenantConfig>,
  ) {}

  static async load(directory: string, outbound: OutboundPolicy): Promise<DirectoryTenantSource> {
    let names: string[];
    try {
      names = (await readdir(directory)).filter((name) => name.endsWith('.json')).sort();
    } catch (error) {
      throw new LeadstreamError('config_error', `cannot read tenant directory ${directory}`, {
        cause: error,
      });
    }
    const results = await Promise.all(
      names.map((name) => {
        const file = join(directory, name);
        // A file that cannot be read (a directory named x.json, no permission) is one more problem to list.
        return validateTenantFile(file, outbound).catch(
          (error: unknown): TenantFileResult => ({
            file,
            issues: [{ path: '(root)', message: `cannot be read: ${(error as Error).message}` }],
            warnings: [],
          }),
        );
      }),
    );
    const problems = results.flatMap((r) => r.issues.map((i) => `${r.file}: ${i.path}: ${i.message}`));
    if (problems.length > 0) {
      throw new LeadstreamError('config_error', `invalid tenant configuration:\n${problems.join('\n')}`);
    }
    return DirectoryTenantSource.fromConfigs(results.flatMap((r) => (r.config ? [r.config] : [])));
  }

  static fromConfigs(configs: readonly TenantConfig[]): DirectoryTenantSource {
    const byTenant = new Map<string, TenantConfig>();
    const byCompany = new Map<string, TenantConfig>();
    for (const config of configs) {
      if (byTenant.has(config.tenant_id)) {
        throw new LeadstreamError('config_error', `tenant ${config.tenant_id} is configured twice`);
      }
      byTenant.set(config.tenant_id, config);
      for (const company of config.callrail?.company_ids ?? []) {
        const owner = byCompany.get(company);
        if (owner) {
          throw new LeadstreamError(
            'config_error',
            `CallRail company ${company} is claimed by both ${owner.tenant_id} and ${config.tenant_id}`,
          );
        }
        byCompany.set(company, config);
      }
    }
    return new DirectoryTenantSource(byTenant, byCompany);
  }

  get size(): number {
    return this.byTenant.size;
  }

  async get(tenantId: string): Promise<TenantConfig | undefined> {
    return this.byTenant.get(tenantId);
  }

  async findByCallRailCompany(companyId: string): Promise<TenantConfig | undefined> {
    return this.byCompany.get(companyId);
  }
}
