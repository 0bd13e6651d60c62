import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import { SlackChannel } from '../../../src/notifications/channels/slack-channel.js';
import { WebhookChannel } from '../../../src/notifications/channels/webhook-channel.js';
import { sha256SignatureMatches } from '../../../src/producers/gateway/hmac-signature.js';
import { EnvSecretResolver } from '../../../src/secrets/env-secret-resolver.js';
import { listenLocally } from '../../emulators/listen.js';
import { emulatorOutbound } from '../../support/emulator-outbound.js';
import { hotLeadNotification, noTemplates } from '../../support/notification-fixtures.js';

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
}

let server: FastifyInstance;
let url: string;
const received: Received[] = [];
let answers: Array<{ status: number; body: string; headers?: Record<string, string> }> = [];

beforeAll(async () => {
  server = Fastify();
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  server.post('/*', async (request, reply) => {
    received.push({ path: request.url, headers: request.headers, raw: request.body as string });
    const answer = answers.shift() ?? { status: 200, body: 'ok' };
    return reply
      .code(answer.status)
      .headers(answer.headers ?? {})
      .send(answer.body);
  });
  url = (await listenLocally(server, {})).url;
});
afterAll(() => server.close());
beforeEach(() => {
  received.length = 0;
  answers = [];
});

const context = () => ({
  secrets: new EnvSecretResolver({
    LEADSTREAM_SECRET_SLACK_HOOK: `${url}/services/T000/B000/XXXX`,
    LEADSTREAM_SECRET_HOOK_KEY: 'hook-secret',
  }),
  outbound: emulatorOutbound,
});

async function failure(promise: Promise<unknown>): Promise<LeadstreamError> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: LeadstreamError) => error,
  );
}

describe('Slack incoming webhook', () => {
  const slack = new SlackChannel();
  const config = {
    type: 'slack' as const,
    webhook_url: 'secret:projects/p/secrets/slack-hook/versions/latest',
  };

  it("posts Slack's {text} with who, phone, project, timeline, score, top reasons and the CRM link", async () => {
    await slack.send(
      { notification: hotLeadNotification(), config, notifications: noTemplates, recipient: 'webhook' },
      context(),
    );
    expect(received).toHaveLength(1);
    expect(received[0]?.path).toBe('/services/T000/B000/XXXX');
    expect(JSON.parse(received[0]?.raw ?? '')).toEqual({
      text: [
        'New lead: Jane Doe +15551234567 jane@example.com',
        'Project: kitchen, timeline: immediate, budget: 50k 100k',
        'Lead score 92: asked for a quote; wants to start this month; budget stated',
        'CRM record: https://app.hubspot.com/contacts/12345678/record/0-1/501',
      ].join('\n'),
    });
  });

  it("escapes a caller's mention or link, so a name cannot ping a channel", async () => {
    const lead = { ...hotLeadNotification().lead, name: '<!channel> <http://evil.example|click> & co' };
    await slack.send(
      {
        notification: hotLeadNotification({ lead }),
        config,
        notifications: { channels: [], template: 'Lead {{name}} <https://crm.example|open>' },
        recipient: 'webhook',
      },
      context(),
    );
    expect(JSON.parse(received[0]?.raw ?? '').text).toBe(
      'Lead &lt;!channel&gt; &lt;http://evil.example|click&gt; &amp; co <https://crm.example|open>',
    );
  });

  it('refuses a webhook URL from a secret that the outbound policy refuses, sending nothing', async () => {
    const plain = {
      secrets: new EnvSecretResolver({
        LEADSTREAM_SECRET_SLACK_HOOK: 'http://hooks.slack.example/services/T/B/X',
      }),
      outbound: emulatorOutbound,
    };
    const refused = await failure(
      slack.send(
        { notification: hotLeadNotification(), config, notifications: noTemplates, recipient: 'webhook' },
        plain,
      ),
    );
    expect([refused.type, refused.retryable]).toEqual(['outbound_url_refused', false]);
    expect(received).toEqual([]);
  });

  it("fails for good on Slack's no_service, and retries its 429 after Retry-After", async () => {
    answers = [
      { status: 404, body: 'no_service' },
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '7' } },
    ];
    const gone = await failure(
      slack.send(
        { notification: hotLeadNotification(), config, notifications: noTemplates, recipient: 'webhook' },
        context(),
      ),
    );
    expect([gone.type, gone.message]).toEqual(['notification_rejected', 'slack answered 404: no_service']);
    const limited = await failure(
      slack.send(
        { notification: hotLeadNotification(), config, notifications: noTemplates, recipient: 'webhook' },
        context(),
      ),
    );
    expect([limited.type, limited.retryAfterMs]).toEqual(['notification_unavailable', 7_000]);
  });
});

describe('generic webhook signed with HMAC-SHA256', () => {
  const now = new Date('2026-11-25T17:20:05Z');
  const webhook = new WebhookChannel(() => now);
  const config = () => ({
    type: 'webhook' as const,
    url: `${url}/leads`,
    secret: 'secret:projects/p/secrets/hook-key/versions/1',
  });

  it("posts the lead as JSON with a signature the receiver verifies as leadstream's form endpoint does", async () => {
    const notification = hotLeadNotification();
    await webhook.send(
      { notification, config: config(), notifications: noTemplates, recipient: 'webhook' },
      context(),
    );
    const request = received[0];
    const timestamp = String(request?.headers['x-leadstream-timestamp']);
    expect(timestamp).toBe(String(now.getTime() / 1000));
    const signature = String(request?.headers['x-leadstream-signature']);
    expect(sha256SignatureMatches(signature, 'hook-secret', timestamp, '.', request?.raw ?? '')).toBe(true);
    expect(sha256SignatureMatches(signature, 'other-secret', timestamp, '.', request?.raw ?? '')).toBe(false);
    expect(request?.headers['x-leadstream-notification-id']).toBe(notification.notification_id);
    const body = JSON.parse(request?.raw ?? '');
    expect(body.lead.lead_score).toBe(92);
    expect(body.crm).toEqual({ type: 'hubspot', record_id: '501', record_url: notification.crm_record_url });
  });

  it('retries a 5xx answer and refuses for good a 4xx one', async () => {
    answers = [
      { status: 502, body: 'bad gateway' },
      { status: 410, body: '{"message":"hook deleted"}' },
    ];
    const down = await failure(
      webhook.send(
        {
          notification: hotLeadNotification(),
          config: config(),
          notifications: noTemplates,
          recipient: 'webhook',
        },
        context(),
      ),
    );
    expect([down.type, down.retryable]).toEqual(['notification_unavailable', true]);
    const gone = await failure(
      webhook.send(
        {
          notification: hotLeadNotification(),
          config: config(),
          notifications: noTemplates,
          recipient: 'webhook',
        },
        context(),
      ),
    );
    expect([gone.type, gone.message]).toEqual([
      'notification_rejected',
      'webhook answered 410: hook deleted',
    ]);
  });
});
