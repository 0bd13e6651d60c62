import type { NotificationsConfig } from '../config/tenants/notifications-config.js';
import type { TenantConfig } from '../config/tenants/tenant-config.js';
import type { Notification } from '../events/notification.js';
import { EmailChannel, type SmtpRelay } from './channels/email-channel.js';
import { SlackChannel } from './channels/slack-channel.js';
import { SmsChannel } from './channels/sms-channel.js';
import { WebhookChannel } from './channels/webhook-channel.js';
import type { ChannelContext, NotificationChannel } from './notification-channel.js';

/** One notification bound to its adapter and the tenant's configuration of that channel. */
export interface BoundNotification {
  recipients(): string[];
  /** Resolves with the provider's message id. */
  send(recipient: string): Promise<string>;
}

function bound<Config>(
  channel: NotificationChannel<Config>,
  config: Config,
  notification: Notification,
  notifications: NotificationsConfig,
  context: ChannelContext,
): BoundNotification {
  return {
    recipients: () => channel.recipients(config, notification),
    send: (recipient) => channel.send({ notification, config, notifications, recipient }, context),
  };
}

/** The adapters, one per channel, as the CRM registry holds one per CRM. */
export class NotificationChannels {
  private readonly slack = new SlackChannel();
  private readonly webhook = new WebhookChannel();
  private readonly sms = new SmsChannel();
  private readonly email: EmailChannel;

  constructor(relay: SmtpRelay | undefined) {
    this.email = new EmailChannel(relay);
  }

  /**
   * The notification with the adapter and tenant configuration it was written for, or undefined when
   * the tenant has since removed that channel (or put another type at its place).
   */
  bind(
    notification: Notification,
    tenant: TenantConfig,
    context: ChannelContext,
  ): BoundNotification | undefined {
    const notifications = tenant.notifications;
    if (notifications === undefined) return undefined;
    if (notification.channel === 'sms') {
      return notifications.sms
        ? bound(this.sms, notifications.sms, notification, notifications, context)
        : undefined;
    }
    const config = notifications.channels[notification.channel_index];
    if (config === undefined || config.type !== notification.channel) return undefined;
    switch (config.type) {
      case 'slack':
        return bound(this.slack, config, notification, notifications, context);
      case 'email':
        return bound(this.email, config, notification, notifications, context);
      case 'webhook':
        return bound(this.webhook, config, notification, notifications, context);
    }
  }
}
