import { LeadstreamError } from '../errors/leadstream-error.js';
import { type AnyCrmCatalog, crmCatalog } from './catalog.js';
import type { CrmAdapter } from './crm-adapter.js';
import type { CrmAdapterDeps, CrmDefinition, TypedCrmConfig } from './crm-definition.js';

/**
 * The adapter of a definition behind the one interface delivery calls: a tenant whose configuration
 * names another CRM than the command is refused here, once for every CRM, and the adapter gets the
 * configuration narrowed to its own and a logger that names the command's tenant and call.
 */
function adapterOf<C extends TypedCrmConfig>(definition: CrmDefinition<C>, deps: CrmAdapterDeps): CrmAdapter {
  const adapter = definition.createAdapter(deps);
  return {
    type: definition.type,
    execute(command, context) {
      const config = context.tenant.crm_config as TypedCrmConfig;
      if (config.type !== definition.type) {
        throw new LeadstreamError(
          'config_error',
          `tenant ${command.tenant_id} is not configured for ${definition.title}`,
        );
      }
      // The configuration was validated against the catalog, whose entry for this type is this definition.
      return adapter.execute(command, {
        ...context,
        config: config as C,
        logger: context.logger.child({ tenant_id: command.tenant_id, call_id: command.call_id }),
      });
    },
  };
}

/**
 * One adapter per CRM of the catalog (the shipped one unless given). With a ledger, the deals, tasks,
 * leads, items and records they create, and the custom REST requests that succeeded, are remembered
 * beyond the process (see CreatedRecords, DeliveredRequests).
 */
export function defaultCrmAdapters(deps: CrmAdapterDeps, catalog: AnyCrmCatalog = crmCatalog): CrmAdapter[] {
  return Object.values(catalog).map((definition) => adapterOf(definition, deps));
}
