import Fastify, { type FastifyInstance } from 'fastify';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryTenantSource } from '../../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../../src/config/tenants/tenant-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { type RunningLeadstream, startLeadstream } from '../../src/roles/runtime.js';
import { EnvSecretResolver } from '../../src/secrets/env-secret-resolver.js';
import { fixedClock } from '../../src/time/clock.js';
import { type HubSpotEmulator, startHubSpotEmulator } from '../emulators/hubspot/emulator.js';
import { defineGuideProperties } from '../emulators/hubspot/guide-properties.js';
import { listenLocally } from '../emulators/listen.js';
import { startTwilioEmulator, type TwilioEmulator } from '../emulators/twilio/twilio-emulator.js';
import { callRailSignature } from '../support/callrail-signing.js';
import { fixedAnalyzer } from '../support/fixed-analyzer.js';
import { guideCrmConfig } from '../support/guide-fixtures.js';
import { isolatedSettings, KAFKA_BROKERS } from '../support/platform.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { readTopic } from '../support/topic-reader.js';
import { waitFor } from '../support/wait-for.js';

const NOW = '2026-11-25T17:20:00.000Z';
const HUBSPOT_TOKEN = 'pat-na1-notify-token';
const SIGNING_TOKEN = 'callrail-notify-signing-token';
const TWILIO_SID = 'AC11111111111111111111111111111111';
const TWILIO_TOKEN = 'twilio-notify-token';
const REP = '+15551230001';

/** The guide's HubSpot block as written, with the notifications block that tells it where to send. */
function tenant(urls: { hubspot: string; twilio: string }) {
  return tenantConfigSchema.parse({
    tenant_id: 'tenant_notify',
    callrail: {
      company_ids: ['777'],
      signing_secret: 'secret:projects/p/secrets/n-callrail/versions/latest',
    },
    crm_config: {
      ...guideCrmConfig('hubspot'),
      base_url: urls.hubspot,
      api_token: 'secret:projects/p/secrets/n-hubspot/versions/latest',
    },
    notifications: {
      channels: [
        { type: 'slack', webhook_url: 'secret:projects/p/secrets/n-slack/versions/latest' },
        { type: 'email', to: ['sales@acme.example'] },
      ],
      sms: {
        account_sid: 'secret:projects/p/secrets/n-twilio-sid/versions/latest',
        auth_token: 'secret:projects/p/secrets/n-twilio-token/versions/latest',
        from: '+15005550006',
        to: [REP],
        api_base_url: urls.twilio,
      },
    },
  });
}

function webhook(callId: string, phone: string): string {
  return JSON.stringify({
    resource_id: callId,
    company_id: 777,
    customer_phone_number: phone,
    customer_name: 'Jane Doe',
    duration: '180',
    answered: true,
    source_name: 'Google Ads',
    transcription: 'Caller: new kitchen as soon as possible',
  });
}

describe('send_notification and send_sms of a hot lead, on the real broker', () => {
  const settings = isolatedSettings();
  const metrics = new Metrics({ processMetrics: false });
  let hubspot: HubSpotEmulator;
  let twilio: TwilioEmulator;
  let smtp: SmtpSink;
  let slack: FastifyInstance;
  const slackPosts: Array<{ text: string }> = [];
  let app: RunningLeadstream;

  const count = async (channel: string, status: string) =>
    (await metrics.notifications.get()).values.find(
      (value) => value.labels.channel === channel && value.labels.status === status,
    )?.value ?? 0;

  beforeAll(async () => {
    hubspot = await startHubSpotEmulator({
      portals: [{ token: HUBSPOT_TOKEN, owners: [{ email: 'owner@company.com', id: '90001' }] }],
    });
    defineGuideProperties(hubspot.portal(HUBSPOT_TOKEN));
    twilio = await startTwilioEmulator({
      accounts: [{ sid: TWILIO_SID, token: TWILIO_TOKEN, numbers: ['+15005550006'] }],
    });
    smtp = await startSmtpSink();
    slack = Fastify();
    slack.post('/services/T1/B1/notify', async (request) => {
      slackPosts.push(request.body as { text: string });
      return 'ok';
    });
    const slackUrl = (await listenLocally(slack, {})).url;
    app = await startLeadstream(
      { ...settings, SMTP_URL: smtp.url, SMTP_FROM: 'leads@leadstream.example' },
      ['gateway', 'enricher', 'mapper', 'delivery', 'notifier'],
      {
        tenants: DirectoryTenantSource.fromConfigs([tenant({ hubspot: hubspot.url, twilio: twilio.url })]),
        secrets: new EnvSecretResolver({
          LEADSTREAM_SECRET_N_HUBSPOT: HUBSPOT_TOKEN,
          LEADSTREAM_SECRET_N_CALLRAIL: SIGNING_TOKEN,
          LEADSTREAM_SECRET_N_SLACK: `${slackUrl}/services/T1/B1/notify`,
          LEADSTREAM_SECRET_N_TWILIO_SID: TWILIO_SID,
          LEADSTREAM_SECRET_N_TWILIO_TOKEN: TWILIO_TOKEN,
        }),
        analyzer: fixedAnalyzer,
        clock: fixedClock(NOW),
        metrics,
        logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      },
    );
    await waitFor('every role ready', () => (app.ready() ? true : undefined), 60_000);
  });

  afterAll(async () => {
    await app?.stop();
    await hubspot?.stop();
    await twilio?.close();
    await smtp?.close();
    await slack?.close();
  });

  async function post(body: string): Promise<void> {
    const response = await fetch(`${app.gatewayUrl}/v1/callrail/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', signature: callRailSignature(body, SIGNING_TOKEN) },
      body,
    });
    expect(response.status).toBe(202);
  }

  it('sends one e-mail, one Slack message and one SMS, each linking the HubSpot contact; a redelivered command none again', async () => {
    await post(webhook('CALN0001', '+15551234567'));
    await waitFor('the SMS', () => (twilio.messages.length > 0 ? true : undefined), 30_000);
    await waitFor('the e-mail', () => (smtp.mails.length > 0 ? true : undefined));
    await waitFor('the Slack message', () => (slackPosts.length > 0 ? true : undefined));

    const contact = hubspot.contacts(HUBSPOT_TOKEN)[0];
    const link = `https://app.hubspot.com/contacts/12345678/record/0-1/${contact?.id}`;
    const [deal, ...moreDeals] = hubspot.deals(HUBSPOT_TOKEN);
    expect(moreDeals).toEqual([]);
    expect(hubspot.tasks(HUBSPOT_TOKEN)).toHaveLength(1);
    // The guide's contact_owner, resolved to the portal's owner id.
    expect(contact?.properties.hubspot_owner_id).toBe('90001');
    // One call engagement on the timeline, associated to the contact and to the deal.
    const [call, ...moreCalls] = hubspot.calls(HUBSPOT_TOKEN);
    expect(moreCalls).toEqual([]);
    expect(
      call?.associations.map(({ toObjectType, toObjectId }) => `${toObjectType}:${toObjectId}`).sort(),
    ).toEqual([`contacts:${contact?.id}`, `deals:${deal?.id}`].sort());
    expect(slackPosts[0]?.text).toContain('Lead score 92');
    expect(slackPosts[0]?.text).toContain(link);
    expect(smtp.mails[0]?.to).toEqual(['sales@acme.example']);
    expect(smtp.mails[0]?.data).toContain(link);
    expect(twilio.messages[0]).toMatchObject({ to: REP, from: '+15005550006' });
    expect(twilio.messages[0]?.body).toContain(
      'New lead Jane Doe +15551234567: kitchen, immediate, score 92.',
    );

    // The same command handed to delivery again, as after a crash before its offset committed.
    const [command] = await readTopic(settings.TOPIC_CRM_COMMANDS, 1);
    const kafka = new Kafka({
      clientId: 'redeliver',
      brokers: KAFKA_BROKERS.split(','),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: settings.TOPIC_CRM_COMMANDS,
      messages: [{ key: command?.key ?? null, value: command?.value ?? null }],
    });
    await producer.disconnect();
    await waitFor(
      'the three notifications seen again as sent',
      async () =>
        (await count('slack', 'duplicate')) +
          (await count('email', 'duplicate')) +
          (await count('sms', 'duplicate')) >=
        3
          ? true
          : undefined,
      30_000,
    );
    expect([slackPosts.length, smtp.mails.length, twilio.messages.length]).toEqual([1, 1, 1]);
    expect([hubspot.deals(HUBSPOT_TOKEN).length, hubspot.calls(HUBSPOT_TOKEN).length]).toEqual([1, 1]);
    expect(await count('sms', 'sent')).toBe(1);
  });

  it('leaves the CRM delivery successful while a failing SMS provider retries and dead-letters on its own', async () => {
    const deliveredBefore = hubspot.contacts(HUBSPOT_TOKEN).length;
    twilio.failNext(1_000, 500);
    await post(webhook('CALN0002', '+15557654321'));
    await waitFor(
      'the SMS dead-lettered by the notifier',
      async () => ((await count('sms', 'dead_lettered')) === 1 ? true : undefined),
      30_000,
    );
    const [dead] = await readTopic(settings.TOPIC_DEAD_LETTERS, 1);
    expect(dead?.headers['leadstream-stage']).toBe('notifier');
    expect(dead?.headers['leadstream-error-type']).toBe('notification_unavailable');
    expect(dead?.headers['leadstream-source-topic']).toBe(settings.TOPIC_NOTIFICATIONS);
    expect(hubspot.contacts(HUBSPOT_TOKEN)).toHaveLength(deliveredBefore + 1);
    expect(await count('sms', 'retry')).toBeGreaterThanOrEqual(2);
    await waitFor('the e-mail of the second lead', () => (smtp.mails.length === 2 ? true : undefined));
    const pushes = (await metrics.crmPushes.get()).values;
    expect(pushes.filter((value) => value.labels.status !== 'success')).toEqual([]);
    expect(twilio.messages).toHaveLength(1);
  });
});
