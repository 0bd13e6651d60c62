import { z } from 'zod';
import { strictObject } from '../../config/strict-object.js';
import { fieldMappingSchema, secretOrLiteralSchema } from '../../mapping/mapping-config.js';
import { commonCrmConfigShape } from '../common-config.js';

/** Zoho data centres and their accounts servers, where refresh tokens are exchanged. */
export const ZOHO_ACCOUNTS_DOMAINS = {
  com: 'accounts.zoho.com',
  eu: 'accounts.zoho.eu',
  in: 'accounts.zoho.in',
  'com.au': 'accounts.zoho.com.au',
  jp: 'accounts.zoho.jp',
  'com.cn': 'accounts.zoho.com.cn',
  ca: 'accounts.zohocloud.ca',
  sa: 'accounts.zoho.sa',
} as const;

const zohoFieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a Zoho field API name');

/** A Zoho CRM tenant's `crm_config`: Leads upserted through the v8 API. */
export const zohoCrmConfigSchema = strictObject({
  type: z.literal('zoho'),
  client_id: secretOrLiteralSchema,
  client_secret: secretOrLiteralSchema,
  refresh_token: secretOrLiteralSchema,
  data_centre: z
    .enum(Object.keys(ZOHO_ACCOUNTS_DOMAINS) as [keyof typeof ZOHO_ACCOUNTS_DOMAINS])
    .default('com'),
  /** Overrides the data centre's accounts server (https://accounts.zoho.eu), for tests. */
  accounts_url: z.url().optional(),
  /** Overrides the api_domain the token answer names, for tests. */
  api_domain: z.url().optional(),
  api_version: z
    .string()
    .regex(/^v\d+$/, 'a version such as v8')
    .default('v8'),
  module: z
    .string()
    .regex(/^[A-Za-z_]+$/)
    .default('Leads'),
  field_mappings: z.record(zohoFieldName, fieldMappingSchema).default({}),
  duplicate_check_fields: z.array(zohoFieldName).min(1).default(['Phone', 'Email']),
  /** Zoho automation the upsert runs (workflow, approval, blueprint); none when empty. */
  trigger: z.array(z.enum(['workflow', 'approval', 'blueprint'])).default(['workflow']),
  ...commonCrmConfigShape,
});

export type ZohoCrmConfig = z.infer<typeof zohoCrmConfigSchema>;
