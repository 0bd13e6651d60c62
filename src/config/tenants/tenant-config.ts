import { z } from 'zod';
import { analysisConfigSchema } from '../../analysis/analysis-config.js';
import { crmConfigSchema } from './crm-config.js';

export type { CrmConfig, HubSpotCrmConfig } from './crm-config.js';

const secretOrLiteral = z.string().min(1);

const callrailSchema = z
  .object({
    /** CallRail company ids (numeric or resource ids) whose webhooks belong to this tenant. */
    company_ids: z.array(z.string().min(1)).default([]),
    /** The company's webhook signing token, usually a secret reference. */
    signing_secret: secretOrLiteral,
    /** Refuse webhooks whose `timestamp` is older than this many seconds; off when absent. */
    freshness_window_seconds: z.number().int().positive().optional(),
    /** CallRail account for API look-ups (fetching a transcript a webhook lacked). */
    account_id: z.string().min(1).optional(),
    /** CallRail API key, usually a secret reference. */
    api_key: secretOrLiteral.optional(),
    /** API base; defaults to https://api.callrail.com/v3. */
    api_base_url: z.url().optional(),
  })
  .strict();

const formsSchema = z
  .object({
    /** When set, form posts must carry this key in the `x-leadstream-form-key` header. */
    api_key: secretOrLiteral.optional(),
  })
  .strict();

/** A tenant's configuration file: the guide's `configuration` column, one JSON file per tenant. */
export const tenantConfigSchema = z
  .object({
    tenant_id: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'letters, digits, _ . - only, at most 128'),
    name: z.string().optional(),
    callrail: callrailSchema.optional(),
    forms: formsSchema.default({}),
    analysis: analysisConfigSchema.default({}),
    crm_config: crmConfigSchema,
  })
  .strict();

export type TenantConfig = z.infer<typeof tenantConfigSchema>;
