import { z } from 'zod';

/**
 * A tenant's configuration file: the guide's `configuration` column, one JSON file per tenant.
 * The CRM part is deliberately narrow here (HubSpot, plain path mappings); the full configuration
 * language of the setup guide for every CRM is issue #3.
 */
const secretOrLiteral = z.string().min(1);

const fieldPath = z.string().min(1);

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
    base_url: z.url().optional(),
    portal_id: z.string().optional(),
    pipeline_id: z.string().optional(),
    deal_stage: z.string().optional(),
    contact_owner: z.string().optional(),
    company_domain_mapping: z.boolean().optional(),
    duplicate_detection: duplicateDetectionSchema.optional(),
    field_mappings: z.record(z.string(), fieldPath).default({}),
    custom_properties: z.array(customPropertySchema).default([]),
    workflow_triggers: z.record(z.string(), workflowTriggerSchema).default({}),
  })
  .strict();

export const crmConfigSchema = z.discriminatedUnion('type', [hubspotCrmConfigSchema]);

const callrailSchema = z
  .object({
    /** CallRail company ids (numeric or resource ids) whose webhooks belong to this tenant. */
    company_ids: z.array(z.string().min(1)).default([]),
    /** The company's webhook signing token, usually a secret reference. */
    signing_secret: secretOrLiteral,
    /** Refuse webhooks whose `timestamp` is older than this many seconds; off when absent. */
    freshness_window_seconds: z.number().int().positive().optional(),
  })
  .strict();

const formsSchema = z
  .object({
    /** When set, form posts must carry this key in the `x-leadstream-form-key` header. */
    api_key: secretOrLiteral.optional(),
  })
  .strict();

export const tenantConfigSchema = z
  .object({
    tenant_id: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'letters, digits, _ . - only, at most 128'),
    name: z.string().optional(),
    callrail: callrailSchema.optional(),
    forms: formsSchema.default({}),
    crm_config: crmConfigSchema,
  })
  .strict();

export type TenantConfig = z.infer<typeof tenantConfigSchema>;
export type CrmConfig = TenantConfig['crm_config'];
export type HubSpotCrmConfig = z.infer<typeof hubspotCrmConfigSchema>;
