import { z } from 'zod';
import { strictObject } from '../../config/strict-object.js';
import {
  customPropertySchema,
  fieldMappingsSchema,
  secretOrLiteralSchema,
} from '../../mapping/mapping-config.js';
import { commonCrmConfigShape } from '../common-config.js';

/** A HubSpot tenant's `crm_config`, the setup guide's HubSpot block. */
export const hubspotCrmConfigSchema = strictObject({
  type: z.literal('hubspot'),
  api_token: secretOrLiteralSchema,
  /** API host root; the SDK appends /crm/v3/... Defaults to https://api.hubapi.com. */
  base_url: z.url().optional(),
  portal_id: z.string().optional(),
  pipeline_id: z.string().optional(),
  deal_stage: z.string().optional(),
  /** The owner of new contacts, deals and tasks: an owner's e-mail (resolved through the owners API) or id. */
  contact_owner: z.string().optional(),
  company_domain_mapping: z.boolean().optional(),
  field_mappings: fieldMappingsSchema.default({}),
  custom_properties: z.array(customPropertySchema).default([]),
  ...commonCrmConfigShape,
  /**
   * The private app's request limit per 10 seconds for this portal's tier (100 Free/Starter, 190
   * Professional/Enterprise, 250 with the API add-on), per delivery replica; 100 when absent.
   */
  requests_per_ten_seconds: z.number().int().min(1).max(250).optional(),
});

export type HubSpotCrmConfig = z.infer<typeof hubspotCrmConfigSchema>;
