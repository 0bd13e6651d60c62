import { z } from 'zod';
import { strictObject } from '../config/strict-object.js';

/**
 * The building blocks of the configuration language every CRM's `crm_config` shares. How a value is
 * read (path, literal, template, formula) is decided in field-value.ts; this file only fixes the shapes.
 */

/** A secret reference (`secret:projects/P/secrets/S/versions/V`, `env:NAME`, `file:/path`) or a literal. */
export const secretOrLiteralSchema = z.string().min(1);

const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** `{"type": "conditional", "conditions": [{"if": EXPR, "then": VALUE}, ..., {"default": VALUE}]}`: first match wins. */
const conditionalMappingSchema = strictObject({
  type: z.literal('conditional'),
  conditions: z
    .array(
      z.union([
        strictObject({ if: z.string().min(1), then: scalarSchema }),
        strictObject({ default: scalarSchema }),
      ]),
    )
    .min(1),
});

/** `{"type": "computed", "formula": EXPR}`, e.g. `project_value_map[ai_analysis.project_type] || 20000`. */
const computedMappingSchema = strictObject({
  type: z.literal('computed'),
  formula: z.string().min(1),
});

/** `{"type": "literal", "value": "source"}`: a fixed value even where the text reads like a call field. */
const literalMappingSchema = strictObject({ type: z.literal('literal'), value: scalarSchema });

/**
 * A field's value. A string is read by the rule in field-value.ts (call field, `computed:` formula,
 * `{{...}}` template, or literal); numbers and booleans are literals; objects say their type.
 */
export const fieldMappingSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  conditionalMappingSchema,
  computedMappingSchema,
  literalMappingSchema,
]);
export type FieldMapping = z.infer<typeof fieldMappingSchema>;

export const fieldMappingsSchema = z.record(z.string().min(1), fieldMappingSchema);

/** One allowed value of an enumeration: `"kitchen"` or `{"label": "Whole Home", "value": "whole_home"}`. */
export const enumerationOptionSchema = z.union([
  z.string().min(1),
  strictObject({ label: z.string().min(1), value: z.string().min(1) }),
]);
export type EnumerationOption = z.infer<typeof enumerationOptionSchema>;

const PROPERTY_TYPES = ['string', 'number', 'enumeration', 'bool', 'date', 'datetime'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

/** A typed custom property: `{"name": "ai_lead_score", "value": "ai_analysis.lead_score", "type": "number"}`. */
export const customPropertySchema = strictObject({
  name: z.string().min(1),
  value: fieldMappingSchema,
  type: z.enum(PROPERTY_TYPES),
  /** Allowed values of an enumeration; when given, values are checked and written as the option's value. */
  options: z.array(enumerationOptionSchema).min(1).optional(),
  label: z.string().min(1).optional(),
  description: z.string().optional(),
});

export const duplicateDetectionSchema = strictObject({
  enabled: z.boolean(),
  match_fields: z.array(z.enum(['phone', 'email'])).min(1),
  match_strategy: z.enum(['exact']).default('exact'),
  action: z.enum(['update_existing', 'skip']).default('update_existing'),
});

/** `{"condition": EXPR, "actions": [...]}` under `workflow_triggers` (or Salesforce's `workflow_rules`). */
const workflowTriggerSchema = strictObject({
  condition: z.string().min(1),
  actions: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case action name')).min(1),
});
export type WorkflowTrigger = z.infer<typeof workflowTriggerSchema>;
export const workflowTriggersSchema = z.record(z.string().min(1), workflowTriggerSchema);

/** Lookup tables formulas index with [...], e.g. `"project_value_map": {"kitchen": 25000}`. */
export const valueMapsSchema = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a name formulas can use: letters, digits, _'),
  z.record(z.string(), scalarSchema),
);

/**
 * `call_timeline`: whether each call is put on the timeline of the record it created or found (an
 * activity the salesperson opens on the contact, lead, person or item). On unless the tenant says no.
 */
export const callTimelineSchema = strictObject({ enabled: z.boolean().default(true) }).default({
  enabled: true,
});
