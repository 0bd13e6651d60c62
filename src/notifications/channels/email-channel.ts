import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { NotificationChannelConfig } from '../../config/tenants/notifications-config.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import { truncated } from '../../http/vendor-message.js';
import { composeMessage, DEFAULT_NOTIFICATION, factsOf, renderTemplate } from '../message-template.js';
import type { ChannelSend, NotificationChannel } from '../notification-channel.js';
import { providerFailure, unreachable } from '../provider-failure.js';

type EmailConfig = Extract<NotificationChannelConfig, { type: 'email' }>;

const DEFAULT_SUBJECT = 'New lead: {{name}} (score {{score}})';

export interface SmtpRelay {
  transport: Transporter<SMTPTransport.SentMessageInfo>;
  /** The sender every tenant's mail carries (SMTP_FROM). */
  from: string;
}

/**
 * E-mail through the deployment's SMTP relay (SMTP_URL): the relay is the deployment's own, like Kafka,
 * so it is not a tenant URL; tenants choose only the recipients. Plain text, so no value is markup. The
 * Message-ID is the notification's id: a mail system that sees a repeat can tell it is one.
 */
export class EmailChannel implements NotificationChannel<EmailConfig> {
  readonly type = 'email';

  constructor(private readonly relay: SmtpRelay | undefined) {}

  recipients(): string[] {
    return ['to'];
  }

  async send({ notification, config, notifications }: ChannelSend<EmailConfig>): Promise<string> {
    if (this.relay === undefined) {
      throw new LeadstreamError(
        'config_error',
        'an email channel is configured but the deployment sets no SMTP_URL',
      );
    }
    const facts = factsOf(notification);
    const subject = renderTemplate(config.subject ?? DEFAULT_SUBJECT, facts);
    try {
      const info = await this.relay.transport.sendMail({
        from: this.relay.from,
        to: config.to,
        subject,
        text: composeMessage(notifications.template, DEFAULT_NOTIFICATION, facts),
        messageId: `<${notification.notification_id}@leadstream>`,
      });
      return info.messageId;
    } catch (error) {
      const code = (error as { responseCode?: unknown }).responseCode;
      if (typeof code === 'number') {
        // SMTP's 4xx is "try again later", its 5xx a refusal.
        throw providerFailure('email', {
          status: code,
          retryable: code < 500,
          message: truncated((error as Error).message),
        });
      }
      throw unreachable('email', error);
    }
  }
}
