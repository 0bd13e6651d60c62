import type { NotificationsConfig } from '../config/tenants/notifications-config.js';
import type { Notification } from '../events/notification.js';
import type { OutboundGuard } from '../outbound/outbound-guard.js';
import type { SecretResolver } from '../secrets/secret-resolver.js';

export interface ChannelContext {
  secrets: SecretResolver;
  /** Every request to a tenant-configured URL connects through it. */
  outbound: OutboundGuard;
}

/** One send: a notification to one of its recipients, with the tenant's notifications block. */
export interface ChannelSend<Config> {
  notification: Notification;
  config: Config;
  notifications: NotificationsConfig;
  recipient: string;
}

/**
 * One way of telling someone about a lead, behind one interface like the CRMs. A send that throws
 * throws a LeadstreamError classified retryable (the provider may take it later) or permanent.
 */
export interface NotificationChannel<Config> {
  readonly type: string;
  /** Whom it goes to; each is sent and remembered apart, so a retry resends none that succeeded. */
  recipients(config: Config, notification: Notification): string[];
  /** Sends it; resolves with the provider's id of the message, or a constant when it gives none. */
  send(request: ChannelSend<Config>, context: ChannelContext): Promise<string>;
}
