import type { NotificationChannelConfig } from '../../config/tenants/notifications-config.js';
import { retryAfterMs } from '../../http/retry-after.js';
import { vendorMessage } from '../../http/vendor-message.js';
import { composeMessage, DEFAULT_NOTIFICATION, factsOf } from '../message-template.js';
import type { ChannelContext, ChannelSend, NotificationChannel } from '../notification-channel.js';
import { providerFailure, unreachable } from '../provider-failure.js';

type SlackConfig = Extract<NotificationChannelConfig, { type: 'slack' }>;

/**
 * Slack reads `<...>` as a link, a mention or `<!channel>`, and `&` as the start of an entity: escaped
 * in the lead's values, so a caller's name cannot ping a channel or hide a link.
 */
export function slackEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack through an incoming webhook: a JSON `{"text": ...}` POST; Slack answers 200 `ok`. */
export class SlackChannel implements NotificationChannel<SlackConfig> {
  readonly type = 'slack';

  recipients(): string[] {
    return ['webhook'];
  }

  async send({ notification, config, notifications }: ChannelSend<SlackConfig>, context: ChannelContext) {
    const url = await context.secrets.resolve(config.webhook_url);
    context.outbound.checkUrl(url);
    const text = composeMessage(
      notifications.template,
      DEFAULT_NOTIFICATION,
      factsOf(notification),
      slackEscape,
    );
    let response: Response;
    try {
      response = await context.outbound.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw unreachable('slack', error);
    }
    const body = await response.text();
    if (!response.ok) {
      throw providerFailure('slack', {
        status: response.status,
        message: vendorMessage(body),
        retryAfterMs: retryAfterMs(response.headers.get('retry-after'), new Date()),
      });
    }
    return 'ok';
  }
}
