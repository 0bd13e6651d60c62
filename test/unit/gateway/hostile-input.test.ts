import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import { FORM_HMAC_SECRET, gateway, NOW, sha1Signature, sha256Signature } from './gateway-fixture.js';

const webhook = (extra: Record<string, string> = {}) =>
  new URLSearchParams({
    tenant_id: 'tenant_your_company',
    resource_id: 'CAL-urlencoded-1',
    customer_phone_number: '+15551234567',
    customer_name: 'Dana Reyes',
    duration: '180',
    ...extra,
  }).toString();

function postUrlencodedWebhook(app: ReturnType<typeof gateway>['app'], body: string, signature: string) {
  return app.inject({
    method: 'POST',
    url: '/v1/callrail/webhook',
    headers: { 'content-type': 'application/x-www-form-urlencoded', signature },
    payload: body,
  });
}

function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

describe('CallRail signatures over form-urlencoded bodies', () => {
  it('accepts a webhook signed over its exact url-encoded bytes', async () => {
    const { app, publisher } = gateway();
    const body = webhook();
    const response = await postUrlencodedWebhook(app, body, sha1Signature(body));
    expect(response.statusCode).toBe(202);
    expect(publisher.published[0]).toMatchObject({
      call_id: 'CAL-urlencoded-1',
      customer_name: 'Dana Reyes',
      duration_seconds: 180,
    });
  });

  it('refuses any url-encoded body carrying the signature of the empty body, and publishes nothing', async () => {
    const { app, publisher } = gateway();
    const emptyBodySignature = sha1Signature('');
    for (const body of [webhook(), webhook({ customer_name: 'Mallory' }), 'tenant_id=tenant_your_company']) {
      const response = await postUrlencodedWebhook(app, body, emptyBodySignature);
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('signature_error');
    }
    expect(publisher.published).toEqual([]);
  });

  it('refuses a url-encoded body changed after signing, whichever signature header it carries', async () => {
    const { app, publisher } = gateway();
    const signed = webhook();
    const changed = webhook({ customer_name: 'Mallory' });
    expect((await postUrlencodedWebhook(app, changed, sha1Signature(signed))).statusCode).toBe(401);
    const sha256 = await app.inject({
      method: 'POST',
      url: '/v1/callrail/webhook',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-callrail-signature': sha256Signature(signed),
      },
      payload: changed,
    });
    expect(sha256.statusCode).toBe(401);
    expect(publisher.published).toEqual([]);
  });

  it('answers 415 for a content type whose bytes are not kept, never verifying something else', async () => {
    const { app, publisher } = gateway();
    const body = JSON.stringify({ tenant_id: 'tenant_your_company', resource_id: 'CAL-1' });
    for (const contentType of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/callrail/webhook',
        headers: { 'content-type': contentType, signature: sha1Signature(body) },
        payload: body,
      });
      expect(response.statusCode).toBe(415);
      expect(response.json().code).toBe('unsupported_media_type');
    }
    expect(publisher.published).toEqual([]);
  });
});

describe('bodies of any shape answer 4xx naming the problem', () => {
  it('refuses form_data nested 5,000 deep with 400, before anything recurses into it', async () => {
    const { app } = gateway();
    const body = `{"tenant_id":"tenant_your_company","resource_id":"CAL-1","form_data":${nested(5000)}}`;
    const response = await app.inject({
      method: 'POST',
      url: '/v1/callrail/webhook',
      headers: { 'content-type': 'application/json', signature: sha1Signature(body) },
      payload: body,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('the body: nested deeper than 16 levels');
  });

  it('refuses too many keys and over-long strings on the form route, naming the limit', async () => {
    const { app } = gateway();
    const headers = { 'content-type': 'application/json', origin: 'https://www.acme-remodeling.com' };
    const many = Object.fromEntries(Array.from({ length: 2_500 }, (_, index) => [`k${index}`, 'v']));
    const keys = await app.inject({
      method: 'POST',
      url: '/v1/forms/tenant_browser_forms',
      headers,
      payload: JSON.stringify({ email: 'a@b.co', fields: many }),
    });
    expect(keys.statusCode).toBe(400);
    expect(keys.json().message).toBe('fields: 2500 keys, more than the 2000 allowed');

    const long = await app.inject({
      method: 'POST',
      url: '/v1/forms/tenant_browser_forms',
      headers,
      payload: JSON.stringify({ fields: { email: 'a@b.co', notes: 'x'.repeat(600_000) } }),
    });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ field: 'fields.notes' });
    expect(long.json().message).toBe(
      'fields.notes: a string of 600000 characters, more than the 524288 allowed',
    );
  });

  it('refuses a __proto__ key, which field readers would take for a prototype and drop', async () => {
    const { app, publisher } = gateway();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/forms/tenant_browser_forms',
      headers: { 'content-type': 'application/json', origin: 'https://www.acme-remodeling.com' },
      payload: '{"fields":{"email":"a@b.co","__proto__":{"message":"hidden"}}}',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'fields.__proto__' });
    expect(publisher.published).toEqual([]);
  });

  it('bounds the keys and items of the whole body, not only of each object', async () => {
    const { app } = gateway();
    const part = Object.fromEntries(Array.from({ length: 900 }, (_, index) => [`k${index}`, 'v']));
    const response = await app.inject({
      method: 'POST',
      url: '/v1/forms/tenant_browser_forms',
      headers: { 'content-type': 'application/json', origin: 'https://www.acme-remodeling.com' },
      payload: JSON.stringify({ email: 'a@b.co', a: part, b: part, c: part }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('the body: more than the 2000 keys and items allowed in all');
  });

  it('answers 413 naming the limit for a body over it, and for a lead too large to store', async () => {
    const { app, publisher } = gateway({ limits: { bodyLimitBytes: 10_000 } });
    const big = await app.inject({
      method: 'POST',
      url: '/v1/forms/tenant_browser_forms',
      headers: { 'content-type': 'application/json', origin: 'https://www.acme-remodeling.com' },
      payload: JSON.stringify({ email: 'a@b.co', notes: 'x'.repeat(20_000) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({
      code: 'payload_too_large',
      message: 'the body is larger than 10000 bytes',
    });

    publisher.publish = async () => {
      throw new LeadstreamError('record_too_large', 'the record is 1200000 bytes; at most 1000000 fit');
    };
    const record = await app.inject({
      method: 'POST',
      url: '/v1/forms/tenant_browser_forms',
      headers: { 'content-type': 'application/json', origin: 'https://www.acme-remodeling.com' },
      payload: JSON.stringify({ email: 'a@b.co' }),
    });
    expect(record.statusCode).toBe(413);
    expect(record.json().code).toBe('record_too_large');
    expect(record.json().message).toContain('at most 1000000 fit');
  });

  it('cuts an over-long transcript with a marker and counts it, keeping the lead', async () => {
    const { app, publisher, metrics } = gateway({ limits: { maxTranscriptChars: 1_000 } });
    const body = JSON.stringify({
      tenant_id: 'tenant_your_company',
      resource_id: 'CAL-long',
      transcription: `Caller: I want a new kitchen. ${'blah '.repeat(1_000)}`,
    });
    const response = await app.inject({
      method: 'POST',
      url: '/v1/callrail/webhook',
      headers: { 'content-type': 'application/json', signature: sha1Signature(body) },
      payload: body,
    });
    expect(response.statusCode).toBe(202);
    const transcription = publisher.published[0]?.transcription ?? '';
    expect(transcription.startsWith('Caller: I want a new kitchen.')).toBe(true);
    expect(transcription).toMatch(/ \[transcript truncated by leadstream: 4029 characters removed\]$/);
    const counted = await metrics.registry.getSingleMetricAsString('leadstream_gateway_truncations_total');
    expect(counted).toContain('leadstream_gateway_truncations_total{field="transcription"} 1');
  });
});

describe('web forms are never open by default', () => {
  const form = JSON.stringify({ fields: { name: 'Li Wei', phone: '5551234567' } });

  it('answers 403 for a tenant without a forms block, and publishes nothing', async () => {
    const { app, publisher } = gateway();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/forms/tenant_without_forms',
      headers: { 'content-type': 'application/json' },
      payload: form,
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({
      code: 'forbidden',
      message: 'tenant tenant_without_forms accepts no web forms',
    });
    expect(publisher.published).toEqual([]);
  });

  it('accepts a browser post from an allowed origin only', async () => {
    const { app, publisher } = gateway();
    const post = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/v1/forms/tenant_browser_forms',
        headers: { 'content-type': 'application/json', ...headers },
        payload: form,
      });
    expect((await post({ origin: 'https://www.acme-remodeling.com' })).statusCode).toBe(202);
    expect((await post({ referer: 'https://www.acme-remodeling.com/contact?x=1' })).statusCode).toBe(202);
    const other = await post({ origin: 'https://evil.example' });
    expect(other.statusCode).toBe(403);
    expect(other.json().message).toBe("origin https://evil.example may not post this tenant's forms");
    expect((await post({})).statusCode).toBe(403);
    expect(publisher.published).toHaveLength(2);
  });

  it('accepts a form signed over its exact bytes and a fresh timestamp, refusing others with 401', async () => {
    const { app, publisher } = gateway();
    const now = Math.floor(Date.parse(NOW) / 1000);
    const sign = (timestamp: number, body: string, secret = FORM_HMAC_SECRET) =>
      `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
    const post = (headers: Record<string, string>, body = form) =>
      app.inject({
        method: 'POST',
        url: '/v1/forms/tenant_signed_forms',
        headers: { 'content-type': 'application/json', ...headers },
        payload: body,
      });
    const good = await post({
      'x-leadstream-timestamp': String(now),
      'x-leadstream-signature': sign(now, form),
    });
    expect(good.statusCode).toBe(202);
    const changed = JSON.stringify({ fields: { name: 'Mallory', phone: '5551234567' } });
    const tampered = await post(
      { 'x-leadstream-timestamp': String(now), 'x-leadstream-signature': sign(now, form) },
      changed,
    );
    expect(tampered.statusCode).toBe(401);
    const stale = await post({
      'x-leadstream-timestamp': String(now - 3_600),
      'x-leadstream-signature': sign(now - 3_600, form),
    });
    expect(stale.statusCode).toBe(401);
    expect((await post({})).statusCode).toBe(401);
    expect(publisher.published).toHaveLength(1);
  });
});

describe('request budgets', () => {
  it("answers 429 with Retry-After once a tenant's form budget is spent", async () => {
    const { app } = gateway();
    const now = Math.floor(Date.parse(NOW) / 1000);
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let index = 0; index < 4; index++) {
      const body = JSON.stringify({ submission_id: `s-${index}`, email: 'a@b.co' });
      const signature = createHmac('sha256', FORM_HMAC_SECRET).update(`${now}.${body}`).digest('hex');
      const response = await app.inject({
        method: 'POST',
        url: '/v1/forms/tenant_signed_forms',
        headers: {
          'content-type': 'application/json',
          'x-leadstream-timestamp': String(now),
          'x-leadstream-signature': `sha256=${signature}`,
        },
        payload: body,
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) retryAfter = String(response.headers['retry-after']);
    }
    // requests_per_minute: 3, so the fourth in the same instant waits 20 s for its token.
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect(retryAfter).toBe('20');
  });

  it('answers 429 with Retry-After to a client over its budget, before reading its body', async () => {
    const { app, publisher } = gateway({ limits: { clientBudget: { requests: 1, perMs: 1_000, burst: 2 } } });
    const body = JSON.stringify({ tenant_id: 'tenant_your_company', resource_id: 'CAL-9' });
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/callrail/webhook',
        headers: { 'content-type': 'application/json', signature: sha1Signature(body) },
        payload: body,
      });
      statuses.push(response.statusCode);
      if (index === 2) {
        expect(response.headers['retry-after']).toBe('1');
        expect(response.json().code).toBe('rate_limited');
      }
    }
    expect(statuses).toEqual([202, 202, 429]);
    expect(publisher.published).toHaveLength(2);
  });
});
