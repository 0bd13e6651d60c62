import { z } from 'zod';
import { analysisConfigSchema } from '../../analysis/analysis-config.js';
import { strictObject } from '../strict-object.js';
import { crmConfigSchema } from './crm-config.js';

export type { CrmConfig, HubSpotCrmConfig } from './crm-config.js';

const secretOrLiteral = z.string().min(1);

const callrailSchema = strictObject({
  /** CallRail company ids (numeric or resource ids) whose webhooks belong to this tenant. */
  company_ids: z.array(z.string().min(1)).default([]),
  /** The company's webhook signing token, usually a secret reference. */
  signing_secret: secretOrLiteral,
  /** Refuse webhooks whose `timestamp` is older than this many seconds; off when absent. */
  freshness_window_seconds: z.number().int().positive().optional(),
  /**
   * The CallRail account (its id in API paths, `/v3/a/{account_id}/...`) whose API is asked for the
   * transcript of a call whose webhook carried none. Set together with `api_key`.
   */
  account_id: z.string().min(1).optional(),
  /** A CallRail API v3 key with read access to that account, as a `secret:` reference. */
  api_key: secretOrLiteral.optional(),
  /** API base; defaults to https://api.callrail.com/v3 (a proxy or a test server otherwise). */
  api_base_url: z.url().optional(),
}).superRefine((callrail, ctx) => {
  if ((callrail.account_id === undefined) !== (callrail.api_key === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [callrail.account_id === undefined ? 'account_id' : 'api_key'],
      message: 'account_id and api_key go together: the CallRail API needs both to fetch a transcript',
    });
  }
});

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
