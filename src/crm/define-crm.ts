import type { z } from 'zod';
import type { CrmDefinition, TypedCrmConfig, WorkflowActionSupport } from './crm-definition.js';

/** A `crm_config` schema whose `type` is a literal: the one place a CRM's type is written. */
type TypedConfigSchema<C extends TypedCrmConfig> = z.ZodType<C> & {
  readonly shape: { readonly type: z.ZodLiteral<C['type']> };
};

/** What a CRM's folder declares beside its config schema; the rest of its definition follows from it. */
export type CrmDeclaration<C extends TypedCrmConfig> = Omit<
  CrmDefinition<C>,
  'type' | 'configSchema' | 'workflowActions'
> & {
  /** Absent, the CRM carries out no workflow action itself (the notifier's still run). */
  readonly workflowActions?: WorkflowActionSupport;
};

const NO_WORKFLOW_ACTIONS: WorkflowActionSupport = { names: [] };

/**
 * A CRM's definition from its config schema and its declaration: the catalog's key is the schema's
 * `type` literal, so a CRM's type cannot be written two ways, and a CRM that runs no workflow action
 * says nothing about them.
 */
export function defineCrm<C extends TypedCrmConfig>(
  configSchema: TypedConfigSchema<C>,
  declaration: CrmDeclaration<C>,
): CrmDefinition<C> {
  return {
    type: configSchema.shape.type.value,
    configSchema,
    workflowActions: NO_WORKFLOW_ACTIONS,
    ...declaration,
  };
}
