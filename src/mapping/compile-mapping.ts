import type { CrmConfig } from '../config/tenants/crm-config.js';
import type { ConfigIssue } from '../config/validation-issues.js';
import { LeadstreamError } from '../errors/leadstream-error.js';
import type { CommandBuilder } from './command-builder.js';
import { compileCommandBuilder } from './crm-command-builders.js';
import { MappingIssues } from './mapping-issues.js';

export interface CompiledMapping {
  /** Absent when the configuration has errors. */
  build?: CommandBuilder;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

/**
 * Compiled mappings by configuration object. A reloaded configuration is a new object and compiles
 * anew; the one it replaced goes with its object (the tenant store drops it), so a changed tenant's
 * old mapping is never used again nor kept. Every configuration in force stays parsed, so no call
 * re-parses an expression.
 */
const compiled = new WeakMap<CrmConfig, CompiledMapping>();

/** Checks and compiles a tenant's mapping: every path, template and expression, with every problem at its JSON path. */
export function compileMapping(config: CrmConfig): CompiledMapping {
  const cached = compiled.get(config);
  if (cached) return cached;
  const issues = new MappingIssues();
  const build = compileCommandBuilder(config, issues);
  const result: CompiledMapping =
    issues.errors.length > 0
      ? { errors: issues.errors, warnings: issues.warnings }
      : { build, errors: [], warnings: issues.warnings };
  compiled.set(config, result);
  return result;
}

/** The command builder of a configuration that was validated at load; a config_error otherwise. */
export function commandBuilderFor(config: CrmConfig): CommandBuilder {
  const { build, errors } = compileMapping(config);
  if (!build) {
    const lines = errors.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new LeadstreamError('config_error', `invalid mapping configuration: ${lines}`);
  }
  return build;
}
