import twilio from 'twilio';
import type { SmsConfig } from '../../config/tenants/notifications-config.js';
import { truncated } from '../../http/vendor-message.js';
import { composeMessage, DEFAULT_SMS, factsOf, renderTemplate } from '../message-template.js';
import type { ChannelContext, ChannelSend, NotificationChannel } from '../notification-channel.js';
import { providerFailure, unreachable } from '../provider-failure.js';
import { GuardedTwilioHttpClient } from './twilio-http-client.js';

const REP = 'rep:';
const CALLER = 'caller:';

/**
 * SMS through Twilio's official SDK: each rep's number, and the caller's where the tenant opted in
 * (`text_caller`, its own template). The SDK's requests go through GuardedTwilioHttpClient, so the
 * base URL is the tenant's (a test's emulator) and the outbound guard checks where they connect.
 */
export class SmsChannel implements NotificationChannel<SmsConfig> {
  readonly type = 'sms';

  recipients(config: SmsConfig, notification: { lead: { phone: string | null } }): string[] {
    const reps = config.to.map((number) => `${REP}${number}`);
    const caller =
      config.text_caller !== undefined && notification.lead.phone !== null
        ? [`${CALLER}${notification.lead.phone}`]
        : [];
    return [...reps, ...caller];
  }

  async send(
    { notification, config, recipient }: ChannelSend<SmsConfig>,
    context: ChannelContext,
  ): Promise<string> {
    const toCaller = recipient.startsWith(CALLER);
    const to = recipient.slice(toCaller ? CALLER.length : REP.length);
    const facts = factsOf(notification);
    const body =
      toCaller && config.text_caller
        ? renderTemplate(config.text_caller.template, facts)
        : composeMessage(config.template, DEFAULT_SMS, facts);
    const [accountSid, authToken] = await Promise.all([
      context.secrets.resolve(config.account_sid),
      context.secrets.resolve(config.auth_token),
    ]);
    const httpClient = new GuardedTwilioHttpClient(context.outbound, config.api_base_url);
    const client = twilio(accountSid, authToken, { httpClient, autoRetry: false });
    try {
      const message = await client.messages.create({ to, from: config.from, body });
      return message.sid;
    } catch (error) {
      if (error instanceof twilio.RestException) {
        // Twilio's code says which: 20003 the credentials, 21211 an invalid To, 20429 too many requests.
        throw providerFailure('sms', {
          status: error.status,
          message: truncated(`${error.code ?? ''} ${error.message}`.trim()),
          retryAfterMs: httpClient.lastRetryAfterMs,
        });
      }
      throw unreachable('sms', error);
    }
  }
}
