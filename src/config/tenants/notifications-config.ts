import { z } from 'zod';
import { TEMPLATE_FIELDS, templatePlaceholders } from '../../notifications/message-template.js';
import { strictObject } from '../strict-object.js';

const secretOrLiteral = z.string().min(1);

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number: + and 7 to 15 digits');

/**
 * A message template: `{{field}}` placeholders among TEMPLATE_FIELDS, filled once with the lead's values
 * (which are data: a caller who says "{{crm_link}}" gets those characters, not a link).
 */
const templateSchema = z
  .string()
  .min(1)
  .max(1_600)
  .superRefine((template, ctx) => {
    for (const name of templatePlaceholders(template)) {
      if (!(TEMPLATE_FIELDS as readonly string[]).includes(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown placeholder {{${name}}}: expected one of ${TEMPLATE_FIELDS.join(', ')}`,
        });
      }
    }
  });

const slackChannelSchema = strictObject({
  type: z.literal('slack'),
  /** The Slack app's incoming-webhook URL, usually a `secret:` reference: the URL is the credential. */
  webhook_url: secretOrLiteral,
});

const emailChannelSchema = strictObject({
  type: z.literal('email'),
  /** Recipients; the deployment's SMTP relay (SMTP_URL) sends from SMTP_FROM. */
  to: z.array(z.email()).min(1).max(20),
  subject: templateSchema.optional(),
});

const webhookChannelSchema = strictObject({
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/ }),
  /** Signs each POST: `x-leadstream-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`. */
  secret: secretOrLiteral,
});

const channelSchema = z.discriminatedUnion('type', [
  slackChannelSchema,
  emailChannelSchema,
  webhookChannelSchema,
]);

export type NotificationChannelConfig = z.infer<typeof channelSchema>;
export type ChannelType = NotificationChannelConfig['type'] | 'sms';

const smsSchema = strictObject({
  /** The Twilio account SID and auth token, as `secret:` references (Basic auth of every request). */
  account_sid: secretOrLiteral,
  auth_token: secretOrLiteral,
  /** The tenant's Twilio number the texts come from. */
  from: e164,
  /** The reps' numbers each `send_sms` texts. */
  to: z.array(e164).max(10).default([]),
  /** The reps' text; a fixed summary of the lead otherwise. */
  template: templateSchema.optional(),
  /** Opt-in: also text the caller, with this template (nothing is sent to a caller without it). */
  text_caller: strictObject({ template: templateSchema }).optional(),
  /** Twilio's API base; https://api.twilio.com unless a proxy or a test server stands in. */
  api_base_url: z.url().optional(),
});

export type SmsConfig = z.infer<typeof smsSchema>;

/** Where `send_notification` and `send_sms` workflow actions go; see README "Notifications and SMS". */
export const notificationsConfigSchema = strictObject({
  channels: z.array(channelSchema).max(10).default([]),
  /** The notification's text (Slack, e-mail body, webhook `text`); a fixed summary otherwise. */
  template: templateSchema.optional(),
  sms: smsSchema.optional(),
});

export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;
