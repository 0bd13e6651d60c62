import { z } from 'zod';
import { strictObject } from '../../config/strict-object.js';
import { fieldMappingSchema, secretOrLiteralSchema } from '../../mapping/mapping-config.js';
import { commonCrmConfigShape } from '../common-config.js';

/** Person fields Pipedrive has without custom fields: the guide's `field_mappings` keys. */
export const PIPEDRIVE_PERSON_FIELDS = [
  'name',
  'first_name',
  'last_name',
  'phone',
  'email',
  'address_locality',
  'address_admin_area_level_1',
  'address_postal_code',
  'address_country',
  'lead_source',
] as const;

const pipedriveId = z.number().int().positive();

/** A Pipedrive tenant's `crm_config`, the setup guide's Pipedrive block. */
export const pipedriveCrmConfigSchema = strictObject({
  type: z.literal('pipedrive'),
  api_token: secretOrLiteralSchema,
  /** The company's host (`company-name.pipedrive.com`); the API lives under https://HOST/api/v2. */
  company_domain: z.string().regex(/^[a-z0-9.-]+(:\d+)?$/i, 'a host name such as company-name.pipedrive.com'),
  /** Overrides https://{company_domain}/api/v2, for a proxy or a test server. */
  api_base_url: z.url().optional(),
  pipeline_id: pipedriveId.optional(),
  stage_id: pipedriveId.optional(),
  /** User id that owns new persons and deals. */
  default_owner: pipedriveId.optional(),
  field_mappings: z.partialRecord(z.enum(PIPEDRIVE_PERSON_FIELDS), fieldMappingSchema).default({}),
  /** Person custom fields by their name in Pipedrive; keys resolved to the account's 40-character keys at delivery. */
  custom_fields: z.record(z.string().min(1), fieldMappingSchema).default({}),
  /** Deal custom fields by name, like custom_fields. */
  deal_custom_fields: z.record(z.string().min(1), fieldMappingSchema).default({}),
  deal_settings: strictObject({
    title_template: z.string().min(1).default('{{customer_name}} - {{ai_analysis.project_type}} Project'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD')
      .default('USD'),
    /** Deal value by project type; `default` for any other type. */
    value_estimation: z.record(z.string().min(1), z.number().nonnegative()).default({}),
    expected_close_days: z.number().int().nonnegative().optional(),
  }).optional(),
  ...commonCrmConfigShape,
  /**
   * The API token's burst limit per 2-second window for the company's plan (20 on the smallest plan,
   * up to 120), per delivery replica; 20 when absent.
   */
  requests_per_two_seconds: z.number().int().min(1).max(500).optional(),
});

export type PipedriveCrmConfig = z.infer<typeof pipedriveCrmConfigSchema>;
