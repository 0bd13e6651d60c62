import { z } from 'zod';
import { strictObject } from '../../config/strict-object.js';
import {
  callTimelineSchema,
  duplicateDetectionSchema,
  enumerationOptionSchema,
  fieldMappingSchema,
  secretOrLiteralSchema,
  valueMapsSchema,
  workflowTriggersSchema,
} from '../../mapping/mapping-config.js';

/** Salesforce API names: standard (`LastName`) or custom (`AI_Lead_Score__c`); nothing SOQL could misread. */
const salesforceFieldNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*(__c)?$/, 'a Salesforce field API name (letters, digits, _, optional __c)');

const objectMappingSchema = z.record(salesforceFieldNameSchema, fieldMappingSchema);

/** The Salesforce API version the guide writes `v54.0`; stored without the `v`, as jsforce takes it. */
const apiVersionSchema = z
  .string()
  .regex(/^v?\d{2,3}\.0$/, 'an API version such as 62.0 or v62.0')
  .transform((version) => version.replace(/^v/, ''));

/** A Salesforce tenant's `crm_config`, the setup guide's Salesforce block. */
export const salesforceCrmConfigSchema = strictObject({
  type: z.literal('salesforce'),
  /** The org's My Domain URL, where REST calls go. */
  instance_url: z.url(),
  /** Where the JWT bearer assertion is exchanged; https://test.salesforce.com for sandboxes. */
  login_url: z.url().default('https://login.salesforce.com'),
  consumer_key: secretOrLiteralSchema,
  private_key: secretOrLiteralSchema,
  username: secretOrLiteralSchema,
  api_version: apiVersionSchema.default('62.0'),
  object_mappings: strictObject({
    lead: objectMappingSchema,
    /** The follow-up Task created for every lead, linked to it through WhoId. */
    task: objectMappingSchema.optional(),
  }),
  /** Picklist values of fields the mapping writes; analysis values are matched to them (`whole_home` → `Whole Home`). */
  picklists: z.record(salesforceFieldNameSchema, z.array(enumerationOptionSchema).min(1)).default({}),
  workflow_rules: workflowTriggersSchema.default({}),
  duplicate_detection: duplicateDetectionSchema.optional(),
  value_maps: valueMapsSchema.default({}),
  /** Each call as an activity on the record's timeline; on by default. */
  call_timeline: callTimelineSchema,
});

export type SalesforceCrmConfig = z.infer<typeof salesforceCrmConfigSchema>;
