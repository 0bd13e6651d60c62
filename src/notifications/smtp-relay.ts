import nodemailer from 'nodemailer';
import type { Settings } from '../config/settings.js';
import type { SmtpRelay } from './channels/email-channel.js';

/** The deployment's SMTP relay (SMTP_URL, SMTP_FROM; `?pool=true` keeps connections); undefined when none is set. */
export function smtpRelayFor(settings: Pick<Settings, 'SMTP_URL' | 'SMTP_FROM'>): SmtpRelay | undefined {
  if (settings.SMTP_URL === undefined) return undefined;
  return {
    transport: nodemailer.createTransport(settings.SMTP_URL),
    from: settings.SMTP_FROM,
  };
}
