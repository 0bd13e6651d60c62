import { createHmac } from 'node:crypto';
import type { NotificationChannelConfig } from '../../config/tenants/notifications-config.js';
import { retryAfterMs } from '../../http/retry-after.js';
import { vendorMessage } from '../../http/vendor-message.js';
import { composeMessage, DEFAULT_NOTIFICATION, factsOf } from '../message-template.js';
import type { ChannelContext, ChannelSend, NotificationChannel } from '../notification-channel.js';
import { providerFailure, unreachable } from '../provider-failure.js';

type WebhookConfig = Extract<NotificationChannelConfig, { type: 'webhook' }>;

/**
 * The signature a receiver checks, the scheme leadstream's own form endpoint verifies
 * (src/producers/gateway/hmac-signature.ts): `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * A generic webhook: the lead as JSON, signed with the tenant's secret. `x-leadstream-notification-id`
 * is the same for every attempt and redelivery, so a receiver can drop a repeat.
 */
export class WebhookChannel implements NotificationChannel<WebhookConfig> {
  readonly type = 'webhook';

  constructor(private readonly now: () => Date = () => new Date()) {}

  recipients(): string[] {
    return ['webhook'];
  }

  async send({ notification, config, notifications }: ChannelSend<WebhookConfig>, context: ChannelContext) {
    const secret = await context.secrets.resolve(config.secret);
    const body = JSON.stringify({
      notification_id: notification.notification_id,
      tenant_id: notification.tenant_id,
      call_id: notification.call_id,
      action: notification.action,
      lead: notification.lead,
      crm: {
        type: notification.crm_type,
        record_id: notification.crm_record_id,
        record_url: notification.crm_record_url,
      },
      text: composeMessage(notifications.template, DEFAULT_NOTIFICATION, factsOf(notification)),
    });
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    let response: Response;
    try {
      response = await context.outbound.fetch(config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-leadstream-timestamp': timestamp,
          'x-leadstream-signature': webhookSignature(secret, timestamp, body),
          'x-leadstream-notification-id': notification.notification_id,
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw unreachable('webhook', error);
    }
    const text = await response.text();
    if (!response.ok) {
      throw providerFailure('webhook', {
        status: response.status,
        message: vendorMessage(text),
        retryAfterMs: retryAfterMs(response.headers.get('retry-after'), this.now()),
      });
    }
    return 'ok';
  }
}
