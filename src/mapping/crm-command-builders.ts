import type { CrmConfig } from '../config/tenants/crm-config.js';
import { type AnyCrmCatalog, crmCatalog, definitionOf } from '../crm/catalog.js';
import type { TypedCrmConfig } from '../crm/crm-definition.js';
import type { CommandBuilder } from './command-builder.js';
import type { MappingIssues } from './mapping-issues.js';

/**
 * The tenant's mapping rules compiled by its CRM's definition; the rules themselves live in
 * src/crm/<name>/command-mapping.ts.
 */
export function compileCommandBuilder<C extends TypedCrmConfig = CrmConfig>(
  config: C,
  issues: MappingIssues,
  catalog: AnyCrmCatalog = crmCatalog,
): CommandBuilder {
  return definitionOf(config, catalog).compileCommand(config, issues);
}
