import { randomBytes } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { listenLocally } from '../listen.js';

/**
 * A local stand-in for Twilio's Messages API (2010-04-01), for the official SDK to run against
 * unchanged: Basic auth with the AccountSid and AuthToken, the form body (To, From, Body) validated as
 * Twilio does, its JSON answers and error shape ({code, message, more_info, status}), and a per-account
 * rate limit answered with 429 / 20429.
 */
export interface TwilioAccountSeed {
  sid: string;
  token: string;
  /** The account's numbers a message may come from. */
  numbers: string[];
}

export interface TwilioEmulatorOptions {
  accounts: TwilioAccountSeed[];
  /** Messages an account may create per window before 429 (Twilio queues per number; a test sets it low). */
  rateLimit?: { max: number; windowMs: number };
}

export interface StoredMessage {
  sid: string;
  account_sid: string;
  to: string;
  from: string;
  body: string;
}

export interface TwilioEmulator {
  url: string;
  messages: StoredMessage[];
  /** Every request, accepted or not, with the status answered. */
  requests: Array<{ path: string; status: number }>;
  /**
   * The next n message creates (to this number only, when given) fail with this status (500 by default)
   * before anything is stored; a 429 as Twilio's 20429.
   */
  failNext(n: number, status?: number, to?: string): void;
  close(): Promise<void>;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const MAX_BODY = 1_600;

function twilioError(reply: FastifyReply, status: number, code: number, message: string) {
  return reply
    .code(status)
    .send({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

function basicAuth(request: FastifyRequest): { user: string; password: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const field = (body: Record<string, unknown>, name: string) => {
  const value = body[name];
  return typeof value === 'string' ? value : undefined;
};

export async function startTwilioEmulator(options: TwilioEmulatorOptions): Promise<TwilioEmulator> {
  const accounts = new Map(options.accounts.map((account) => [account.sid, account]));
  const messages: StoredMessage[] = [];
  const requests: TwilioEmulator['requests'] = [];
  const sent = new Map<string, number[]>();
  let faults: { left: number; status: number; to?: string | undefined } = { left: 0, status: 500 };
  const app = Fastify();
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, parseQuery(body as string)),
  );
  app.addHook('onResponse', async (request, reply) => {
    requests.push({ path: request.url, status: reply.statusCode });
  });

  app.post<{ Params: { sid: string } }>('/2010-04-01/Accounts/:sid/Messages.json', async (request, reply) => {
    const auth = basicAuth(request);
    const account = auth ? accounts.get(auth.user) : undefined;
    if (!auth || !account || account.token !== auth.password || request.params.sid !== auth.user) {
      return twilioError(reply, 401, 20003, 'Authenticate');
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const to = field(body, 'To');
    if (faults.left > 0 && (faults.to === undefined || faults.to === to)) {
      faults.left -= 1;
      return faults.status === 429
        ? twilioError(reply, 429, 20429, 'Too Many Requests')
        : twilioError(reply, faults.status, 20500, 'An internal server error has occurred');
    }
    const from = field(body, 'From');
    const text = field(body, 'Body');
    if (to === undefined) return twilioError(reply, 400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to))
      return twilioError(reply, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (from === undefined || !account.numbers.includes(from)) {
      return twilioError(
        reply,
        400,
        21606,
        `The From phone number ${from ?? ''} is not a valid, SMS-capable inbound phone number or short code for your account.`,
      );
    }
    if (text === undefined || text === '') return twilioError(reply, 400, 21602, 'Message body is required.');
    if (text.length > MAX_BODY) {
      return twilioError(
        reply,
        400,
        21617,
        'The concatenated message body exceeds the 1600 character limit.',
      );
    }
    const limit = options.rateLimit;
    if (limit) {
      const now = Date.now();
      const recent = (sent.get(account.sid) ?? []).filter((at) => at > now - limit.windowMs);
      if (recent.length >= limit.max) return twilioError(reply, 429, 20429, 'Too Many Requests');
      sent.set(account.sid, [...recent, now]);
    }
    const sid = `SM${randomBytes(16).toString('hex')}`;
    messages.push({ sid, account_sid: account.sid, to, from, body: text });
    const created = new Date().toUTCString().replace('GMT', '+0000');
    return reply.code(201).send({
      sid,
      account_sid: account.sid,
      api_version: '2010-04-01',
      body: text,
      date_created: created,
      date_updated: created,
      date_sent: null,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from,
      messaging_service_sid: null,
      num_media: '0',
      num_segments: String(Math.max(1, Math.ceil(text.length / 153))),
      price: null,
      price_unit: 'USD',
      status: 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${account.sid}/Messages/${sid}/Media.json` },
      to,
      uri: `/2010-04-01/Accounts/${account.sid}/Messages/${sid}.json`,
    });
  });

  const address = await listenLocally(app, {});
  return {
    url: address.url,
    messages,
    requests,
    failNext: (n, status = 500, to) => {
      faults = { left: n, status, to };
    },
    close: () => app.close(),
  };
}
