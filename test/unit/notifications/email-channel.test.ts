import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import { EmailChannel } from '../../../src/notifications/channels/email-channel.js';
import { hotLeadNotification, noTemplates } from '../../support/notification-fixtures.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtp-sink.js';

let smtp: SmtpSink;
let email: EmailChannel;
const config = { type: 'email' as const, to: ['sales@acme.example', 'owner@acme.example'] };

beforeAll(async () => {
  smtp = await startSmtpSink();
  email = new EmailChannel({
    transport: nodemailer.createTransport(smtp.url),
    from: 'leads@leadstream.example',
  });
});
afterAll(() => smtp.close());

async function failure(promise: Promise<unknown>): Promise<LeadstreamError> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: LeadstreamError) => error,
  );
}

describe('e-mail through SMTP with nodemailer', () => {
  it('sends one plain-text mail to every recipient, its Message-ID the notification id', async () => {
    const notification = hotLeadNotification();
    await email.send({ notification, config, notifications: noTemplates, recipient: 'to' });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(mail?.from).toBe('leads@leadstream.example');
    expect(mail?.to).toEqual(['sales@acme.example', 'owner@acme.example']);
    expect(mail?.data).toContain('Subject: New lead: Jane Doe (score 92)');
    expect(mail?.data).toMatch(new RegExp(`Message-ID:\\s+<${notification.notification_id}@leadstream>`));
    expect(mail?.data).toContain(
      'Lead score 92: asked for a quote; wants to start this month; budget stated',
    );
    expect(mail?.data).toContain('CRM record: https://app.hubspot.com/contacts/12345678/record/0-1/501');
  });

  it("keeps a caller's line break out of the headers and the lines of the message", async () => {
    smtp.mails.length = 0;
    const lead = { ...hotLeadNotification().lead, name: 'Jane\r\nBcc: victim@example.com' };
    await email.send({
      notification: hotLeadNotification({ lead }),
      config,
      notifications: noTemplates,
      recipient: 'to',
    });
    expect(smtp.mails[0]?.to).toEqual(['sales@acme.example', 'owner@acme.example']);
    expect(smtp.mails[0]?.data).not.toMatch(/^Bcc:/m);
    expect(smtp.mails[0]?.data).toContain('Subject: New lead: Jane Bcc: victim@example.com (score 92)');
  });

  it("retries SMTP's 4xx (try later) and fails for good on its 5xx", async () => {
    smtp.refuseNext(1, 451);
    const later = await failure(
      email.send({
        notification: hotLeadNotification(),
        config,
        notifications: noTemplates,
        recipient: 'to',
      }),
    );
    expect([later.type, later.retryable]).toEqual(['notification_unavailable', true]);
    smtp.refuseNext(1, 550);
    const refused = await failure(
      email.send({
        notification: hotLeadNotification(),
        config,
        notifications: noTemplates,
        recipient: 'to',
      }),
    );
    expect([refused.type, refused.retryable]).toEqual(['notification_rejected', false]);
  });

  it('retries when the relay cannot be reached', async () => {
    const down = new EmailChannel({
      transport: nodemailer.createTransport('smtp://127.0.0.1:1'),
      from: 'x@example.com',
    });
    const error = await failure(
      down.send({ notification: hotLeadNotification(), config, notifications: noTemplates, recipient: 'to' }),
    );
    expect([error.type, error.retryable]).toEqual(['notification_unavailable', true]);
  });
});
