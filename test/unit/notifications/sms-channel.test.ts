import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmsConfig } from '../../../src/config/tenants/notifications-config.js';
import type { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import { SmsChannel } from '../../../src/notifications/channels/sms-channel.js';
import { OutboundGuard } from '../../../src/outbound/outbound-guard.js';
import { OutboundPolicy } from '../../../src/outbound/outbound-policy.js';
import { EnvSecretResolver } from '../../../src/secrets/env-secret-resolver.js';
import { startTwilioEmulator, type TwilioEmulator } from '../../emulators/twilio/twilio-emulator.js';
import { emulatorOutbound } from '../../support/emulator-outbound.js';
import { hotLeadNotification, noTemplates } from '../../support/notification-fixtures.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'twilio-auth-token';
const secrets = new EnvSecretResolver({
  LEADSTREAM_SECRET_TWILIO_SID: SID,
  LEADSTREAM_SECRET_TWILIO_TOKEN: TOKEN,
});
const context = { secrets, outbound: emulatorOutbound };
let twilio: TwilioEmulator;

beforeAll(async () => {
  twilio = await startTwilioEmulator({
    accounts: [{ sid: SID, token: TOKEN, numbers: ['+15005550006'] }],
    rateLimit: { max: 3, windowMs: 60_000 },
  });
});
afterAll(() => twilio.close());

function smsConfig(overrides: Partial<SmsConfig> = {}): SmsConfig {
  return {
    account_sid: 'secret:projects/p/secrets/twilio-sid/versions/latest',
    auth_token: 'secret:projects/p/secrets/twilio-token/versions/latest',
    from: '+15005550006',
    to: ['+15551230001'],
    api_base_url: twilio.url,
    ...overrides,
  };
}

const channel = new SmsChannel();
const notification = hotLeadNotification({ action: 'send_sms', channel: 'sms' });

async function failure(promise: Promise<unknown>): Promise<LeadstreamError> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: LeadstreamError) => error,
  );
}

describe('SMS through the official Twilio SDK', () => {
  it('texts each rep and, opted in, the caller with the tenant template, caller text kept as data', async () => {
    twilio.messages.length = 0;
    const config = smsConfig({
      text_caller: { template: 'Thanks {{name}}, a remodeling expert will call you shortly.' },
    });
    const lead = { ...notification.lead, name: 'Eve {{crm_link}}' };
    const withCaller = { ...notification, lead };
    const recipients = channel.recipients(config, withCaller);
    expect(recipients).toEqual(['rep:+15551230001', 'caller:+15551234567']);
    for (const recipient of recipients) {
      const sid = await channel.send(
        { notification: withCaller, config, notifications: noTemplates, recipient },
        context,
      );
      expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    }
    expect(twilio.messages.map(({ to, from }) => ({ to, from }))).toEqual([
      { to: '+15551230001', from: '+15005550006' },
      { to: '+15551234567', from: '+15005550006' },
    ]);
    expect(twilio.messages[0]?.body).toBe(
      'New lead Eve {{crm_link}} +15551234567: kitchen, immediate, score 92. https://app.hubspot.com/contacts/12345678/record/0-1/501',
    );
    expect(twilio.messages[1]?.body).toBe(
      'Thanks Eve {{crm_link}}, a remodeling expert will call you shortly.',
    );
  });

  it("fails for good on Twilio's invalid To (21211) and refused credentials (20003)", async () => {
    const invalid = await failure(
      channel.send(
        { notification, config: smsConfig(), notifications: noTemplates, recipient: 'rep:+1555' },
        context,
      ),
    );
    expect([invalid.type, invalid.retryable]).toEqual(['notification_rejected', false]);
    expect(invalid.message).toContain('21211');
    const denied = await failure(
      channel.send(
        { notification, config: smsConfig(), notifications: noTemplates, recipient: 'rep:+15551230001' },
        {
          secrets: new EnvSecretResolver({
            LEADSTREAM_SECRET_TWILIO_SID: SID,
            LEADSTREAM_SECRET_TWILIO_TOKEN: 'old',
          }),
          outbound: emulatorOutbound,
        },
      ),
    );
    expect([denied.type, denied.message]).toEqual([
      'notification_rejected',
      'sms answered 401: 20003 Authenticate',
    ]);
  });

  it('retries a provider failure and a rate limit (429, 20429)', async () => {
    twilio.failNext(1, 503);
    const down = await failure(
      channel.send(
        { notification, config: smsConfig(), notifications: noTemplates, recipient: 'rep:+15551230001' },
        context,
      ),
    );
    expect([down.type, down.retryable]).toEqual(['notification_unavailable', true]);
    const send = () =>
      channel.send(
        { notification, config: smsConfig(), notifications: noTemplates, recipient: 'rep:+15551230001' },
        context,
      );
    let limited: LeadstreamError | undefined;
    for (let i = 0; i < 5 && limited === undefined; i += 1)
      limited = await send().then(
        () => undefined,
        (error: LeadstreamError) => error,
      );
    expect([limited?.type, limited?.retryable, limited?.message]).toEqual([
      'notification_unavailable',
      true,
      'sms answered 429: 20429 Too Many Requests',
    ]);
  });

  it('connects only where the outbound policy allows: a base URL on a refused address sends nothing', async () => {
    const before = twilio.requests.length;
    const strict = new OutboundGuard(OutboundPolicy.parse(''));
    const refused = await failure(
      channel.send(
        { notification, config: smsConfig(), notifications: noTemplates, recipient: 'rep:+15551230001' },
        { secrets, outbound: strict },
      ),
    );
    await strict.close();
    expect(refused.type).toBe('outbound_url_refused');
    expect(twilio.requests.length).toBe(before);
  });
});
