import { z } from 'zod';
import { LeadstreamError } from '../errors/leadstream-error.js';
import type { CrmType } from '../events/crm-command.js';
import type { CrmDefinition, TypedCrmConfig } from './crm-definition.js';
import { customDefinition } from './custom/definition.js';
import { hubspotDefinition } from './hubspot/definition.js';
import { mondayDefinition } from './monday/definition.js';
import { pipedriveDefinition } from './pipedrive/definition.js';
import { salesforceDefinition } from './salesforce/definition.js';
import { zohoDefinition } from './zoho/definition.js';

/**
 * Definitions by CRM type. Over the shipped types (the CrmCommand Avro enum, src/events/crm-command.ts)
 * it is exhaustive: a CRM left out of the catalog does not compile. A test extends it with a CRM of
 * its own (`{ ...crmCatalog, acme: acmeDefinition }`) and hands that to whatever takes a catalog.
 */
export type CrmCatalog<T extends string = CrmType> = {
  readonly [K in T]: CrmDefinition<TypedCrmConfig & { type: K }>;
};

/** The `crm_config` blocks a catalog accepts: one per definition, told apart by `type`. */
export type CatalogConfig<Catalog> = {
  [K in keyof Catalog]: Catalog[K] extends CrmDefinition<infer C> ? C : never;
}[keyof Catalog];

/** Every CRM this build ships, one line each; the order is the one validation messages list them in. */
export const crmCatalog = {
  hubspot: hubspotDefinition,
  salesforce: salesforceDefinition,
  pipedrive: pipedriveDefinition,
  monday: mondayDefinition,
  zoho: zohoDefinition,
  custom: customDefinition,
} as const satisfies CrmCatalog;

export type ShippedCrmCatalog = typeof crmCatalog;

/** Any catalog: the shipped one or a test's extension of it. */
export type AnyCrmCatalog = Readonly<Record<string, CrmDefinition<TypedCrmConfig>>>;

/** The `crm_config` schema of a catalog: the definitions' schemas, chosen by `type`. */
export function crmConfigSchemaOf<Catalog extends AnyCrmCatalog>(
  catalog: Catalog,
): z.ZodType<CatalogConfig<Catalog>> {
  // Each definition's schema is an object with a literal `type`; the catalog's type cannot say so to
  // zod's tuple of discriminable options.
  const options = Object.values(catalog).map((definition) => definition.configSchema) as unknown as [
    z.ZodObject<{ type: z.ZodLiteral<string> }>,
    ...z.ZodObject<{ type: z.ZodLiteral<string> }>[],
  ];
  return z.discriminatedUnion('type', options) as unknown as z.ZodType<CatalogConfig<Catalog>>;
}

/**
 * The definition a configuration was validated against. The catalog maps each type to the definition
 * of configurations of that type, which TypeScript cannot correlate through an index: hence the one
 * cast.
 */
export function definitionOf<C extends TypedCrmConfig>(
  config: C,
  catalog: AnyCrmCatalog = crmCatalog,
): CrmDefinition<C> {
  const definition = catalog[config.type];
  if (definition === undefined) {
    throw new LeadstreamError('unsupported_crm', `no CRM definition for type ${config.type}`);
  }
  return definition as unknown as CrmDefinition<C>;
}
