import type { TenantConfig } from '../config/tenants/tenant-config.js';
import type { CrmCommand } from '../events/crm-command.js';
import { SmsChannel } from './channels/sms-channel.js';
import {
  composeMessage,
  DEFAULT_NOTIFICATION,
  DEFAULT_SMS,
  factsOf,
  renderTemplate,
} from './message-template.js';
import { planNotifications } from './notification-plan.js';
import { skipAdvice } from './workflow-actions.js';

export interface NotificationPreview {
  action: string;
  channel: string;
  /** Where it goes: the e-mail or SMS recipients, or the kind of endpoint. */
  to: string[];
  message: string;
}

export interface SkippedPreview {
  action: string;
  reason: string;
  advice?: string;
}

/**
 * What the notifier would send for a command, as `leadstream map` shows it. The CRM record's link is
 * known only once delivery wrote the record, so a preview has none.
 */
export function previewNotifications(
  command: CrmCommand,
  tenant: TenantConfig,
  now: Date,
): { sends: NotificationPreview[]; skipped: SkippedPreview[] } {
  const plan = planNotifications(command, { outcomes: [] }, tenant, now);
  const notifications = tenant.notifications;
  const sends = plan.notifications.flatMap((notification): NotificationPreview[] => {
    const facts = factsOf(notification);
    const sms = notifications?.sms;
    if (notification.channel === 'sms' && sms) {
      return new SmsChannel().recipients(sms, notification).map((recipient) => {
        const toCaller = recipient.startsWith('caller:') && sms.text_caller !== undefined;
        return {
          action: notification.action,
          channel: 'sms',
          to: [recipient],
          message: toCaller
            ? renderTemplate(sms.text_caller?.template ?? '', facts)
            : composeMessage(sms.template, DEFAULT_SMS, facts),
        };
      });
    }
    const channel = notifications?.channels[notification.channel_index];
    if (channel === undefined) return [];
    return [
      {
        action: notification.action,
        channel: channel.type,
        to:
          channel.type === 'email'
            ? channel.to
            : channel.type === 'webhook'
              ? [channel.url]
              : ['incoming webhook'],
        message: composeMessage(notifications?.template, DEFAULT_NOTIFICATION, facts),
      },
    ];
  });
  const skipped = plan.skipped.map(({ action, reason }) => ({
    action,
    reason,
    ...(reason === 'no_lead_summary' ? {} : { advice: skipAdvice(reason) }),
  }));
  return { sends, skipped };
}
