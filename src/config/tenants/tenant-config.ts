import { z } from 'zod';
import { analysisConfigSchema } from '../../analysis/analysis-config.js';
import { strictObject } from '../strict-object.js';
import { crmConfigSchema } from './crm-config.js';
import { notificationsConfigSchema } from './notifications-config.js';

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

const originSchema = z
  .url({ protocol: /^https?$/ })
  .refine((url) => new URL(url).origin === url.replace(/\/+$/, ''), 'an origin: scheme, host and port only')
  .transform((url) => new URL(url).origin);

/**
 * How the tenant's web forms prove they are its own. At least one way is required: a form endpoint
 * anyone can post to would let anybody write leads into the tenant's CRM. Every way set must hold.
 */
const formsSchema = strictObject({
  /** A key the form sends in the `x-leadstream-form-key` header (for a form posted by a server). */
  api_key: secretOrLiteral.optional(),
  /**
   * A secret the sender signs with: `x-leadstream-signature: sha256=<hex HMAC-SHA256 of
   * "<x-leadstream-timestamp>.<body bytes>">`, the timestamp (Unix seconds) at most 300 s off.
   */
  hmac_secret: secretOrLiteral.optional(),
  /**
   * Origins (`https://www.acme-remodeling.com`) whose pages may post the form from a browser, which
   * cannot keep a key secret. The Origin header can be forged outside a browser, so such a tenant's
   * form budget (requests_per_minute) is what bounds abuse.
   */
  allowed_origins: z.array(originSchema).min(1).optional(),
  /** This tenant's form posts per minute (bursts up to the same number); the deployment's default otherwise. */
  requests_per_minute: z.number().int().positive().max(60_000).optional(),
}).superRefine((forms, ctx) => {
  if (forms.api_key === undefined && forms.hmac_secret === undefined && forms.allowed_origins === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message:
        'choose how web forms are authenticated: api_key, hmac_secret or allowed_origins (without a forms block the tenant accepts no web forms)',
    });
  }
});

export type FormsConfig = z.infer<typeof formsSchema>;

/** A tenant's configuration file: the guide's `configuration` column, one JSON file per tenant. */
export const tenantConfigSchema = z
  .object({
    tenant_id: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'letters, digits, _ . - only, at most 128'),
    name: z.string().optional(),
    callrail: callrailSchema.optional(),
    /** Web forms posted to /v1/forms/<tenant_id>; absent: the tenant accepts none. */
    forms: formsSchema.optional(),
    analysis: analysisConfigSchema.default({}),
    crm_config: crmConfigSchema,
    /** Where `send_notification` and `send_sms` go; absent: those actions are skipped, with a warning. */
    notifications: notificationsConfigSchema.optional(),
  })
  .strict();

export type TenantConfig = z.infer<typeof tenantConfigSchema>;
