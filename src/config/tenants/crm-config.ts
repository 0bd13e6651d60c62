import { z } from 'zod';

/**
 * The `crm_config` block of a tenant's configuration. Narrow here (HubSpot, plain path mappings);
 * the full configuration language of the setup guide for every CRM is issue #3.
 */
const secretOrLiteral = z.string().min(1);

const fieldPath = z.string().min(1);

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** `{"type": "conditional", "conditions": [{"if": EXPR, "then": VALUE}, ..., {"default": VALUE}]}`: first match wins. */
const conditionalMappingSchema = z
  .object({
    type: z.literal('conditional'),
    conditions: z
      .array(
        z.union([
          z.object({ if: z.string().min(1), then: scalar }).strict(),
          z.object({ default: scalar }).strict(),
        ]),
      )
      .min(1),
  })
  .strict();

/** `{"type": "computed", "formula": EXPR}`, e.g. `project_value_map[ai_analysis.project_type] || 20000`. */
const computedMappingSchema = z.object({ type: z.literal('computed'), formula: z.string().min(1) }).strict();

/** A field's value: a path into the call, a conditional, or a computed formula. */
export const fieldMappingSchema = z.union([fieldPath, conditionalMappingSchema, computedMappingSchema]);
export type FieldMapping = z.infer<typeof fieldMappingSchema>;

const customPropertySchema = z
  .object({
    name: z.string().min(1),
    value: fieldPath,
    type: z.enum(['string', 'number', 'enumeration', 'bool', 'date', 'datetime']),
  })
  .strict();

const duplicateDetectionSchema = z
  .object({
    enabled: z.boolean(),
    match_fields: z.array(z.enum(['phone', 'email'])).min(1),
    match_strategy: z.enum(['exact']).default('exact'),
    action: z.enum(['update_existing', 'skip']).default('update_existing'),
  })
  .strict();

const workflowTriggerSchema = z
  .object({
    condition: z.string().min(1),
    actions: z.array(z.string().min(1)).min(1),
  })
  .strict();

export const hubspotCrmConfigSchema = z
  .object({
    type: z.literal('hubspot'),
    api_token: secretOrLiteral,
    /** API host root; the SDK appends /crm/v3/... Defaults to https://api.hubapi.com. */
    base_url: z.url().optional(),
    portal_id: z.string().optional(),
    pipeline_id: z.string().optional(),
    deal_stage: z.string().optional(),
    contact_owner: z.string().optional(),
    company_domain_mapping: z.boolean().optional(),
    duplicate_detection: duplicateDetectionSchema.optional(),
    field_mappings: z.record(z.string(), fieldMappingSchema).default({}),
    custom_properties: z.array(customPropertySchema).default([]),
    workflow_triggers: z.record(z.string(), workflowTriggerSchema).default({}),
    /** Lookup tables formulas index with [...], e.g. `"project_value_map": {"kitchen": 25000}`. */
    value_maps: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.record(z.string(), scalar))
      .default({}),
  })
  .strict();

export const crmConfigSchema = z.discriminatedUnion('type', [hubspotCrmConfigSchema]);

export type CrmConfig = z.infer<typeof crmConfigSchema>;
export type HubSpotCrmConfig = z.infer<typeof hubspotCrmConfigSchema>;
