import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioEmulator, type TwilioEmulator } from './twilio-emulator.js';

const SID = 'AC33333333333333333333333333333333';
const TOKEN = 'emulator-token';
let twilio: TwilioEmulator;

beforeAll(async () => {
  twilio = await startTwilioEmulator({ accounts: [{ sid: SID, token: TOKEN, numbers: ['+15005550006'] }] });
});
afterAll(() => twilio.close());

function create(form: Record<string, string>, auth = `${SID}:${TOKEN}`, sid = SID) {
  return fetch(`${twilio.url}/2010-04-01/Accounts/${sid}/Messages.json`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form).toString(),
  });
}

describe('the Twilio Messages emulator', () => {
  it("answers Twilio's error shape for a wrong token, another account's path, a foreign From and an empty Body", async () => {
    const cases = [
      [create({ To: '+15551230001', From: '+15005550006', Body: 'x' }, `${SID}:wrong`), 401, 20003],
      [create({ To: '+15551230001', From: '+15005550006', Body: 'x' }, undefined, 'AC0'), 401, 20003],
      [create({ To: '+15551230001', From: '+15550000000', Body: 'x' }), 400, 21606],
      [create({ To: '+15551230001', From: '+15005550006', Body: '' }), 400, 21602],
      [create({ From: '+15005550006', Body: 'x' }), 400, 21604],
    ] as const;
    for (const [request, status, code] of cases) {
      const response = await request;
      expect(response.status).toBe(status);
      expect(await response.json()).toMatchObject({
        code,
        status,
        more_info: `https://www.twilio.com/docs/errors/${code}`,
      });
    }
    expect(twilio.messages).toEqual([]);
  });

  it('creates a queued message with an SM sid, as Twilio answers 201', async () => {
    const response = await create({ To: '+15551230001', From: '+15005550006', Body: 'hello' });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ account_sid: SID, to: '+15551230001', status: 'queued', num_segments: '1' });
    expect(body.sid).toMatch(/^SM[0-9a-f]{32}$/);
  });
});
