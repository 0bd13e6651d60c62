import { describe, expect, it } from 'vitest';
import type { RawCall } from '../../../src/events/raw-call.js';
import { gateway, NOW, postWebhook, sha1Signature, sha256Signature } from './gateway-fixture.js';

/** The guide's "Test Field Mapping" webhook, exactly as written there. */
const GUIDE_TEST_WEBHOOK = JSON.stringify({
  call_id: 'TEST_CRM_001',
  tenant_id: 'tenant_your_company',
  callrail_company_id: '12345',
  caller_id: '+15551234567',
  customer_name: 'Jane Doe',
  customer_city: 'Los Angeles',
  customer_state: 'CA',
  duration: '180',
  answered: true,
});

const POST_CALL = {
  resource_id: 'CAL8154748ae6bd4e278a7cddd38a662f4f',
  id: 2140311122,
  company_resource_id: 'COM8154748ae6bd4e278a7cddd38a662f4f',
  company_id: 12345,
  answered: true,
  customer_name: 'Jane Doe',
  customer_phone_number: '+15551234567',
  customer_city: 'Los Angeles',
  customer_state: 'CA',
  duration: '13',
  start_time: '2026-11-25T09:14:03.000-08:00',
  recording: 'https://app.callrail.com/calls/CAL1/recording',
  voicemail: false,
  tracking_phone_number: '+15559870000',
  source_name: 'Google Ads',
  transcription: 'Caller: kitchen remodel please',
  campaign: 'kitchen',
  utm_source: 'google',
  utm_medium: '',
  note: '',
};

describe('POST /v1/callrail/webhook', () => {
  it("accepts the guide's test webhook and publishes it normalised", async () => {
    const { app, publisher } = gateway();
    const response = await postWebhook(app, GUIDE_TEST_WEBHOOK);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({
      accepted: true,
      tenant_id: 'tenant_your_company',
      call_id: 'TEST_CRM_001',
    });
    const expected: RawCall = {
      call_id: 'TEST_CRM_001',
      tenant_id: 'tenant_your_company',
      source_kind: 'callrail_call',
      source_name: null,
      callrail_event: null,
      callrail_company_id: '12345',
      customer_phone: '+15551234567',
      customer_name: 'Jane Doe',
      customer_email: null,
      customer_city: 'Los Angeles',
      customer_state: 'CA',
      duration_seconds: 180,
      answered: true,
      voicemail: null,
      recording_url: null,
      transcription: null,
      source: null,
      tracking_number: null,
      start_time: null,
      form_fields: {},
      marketing: {},
      received_at: Date.parse(NOW),
    };
    expect(publisher.published).toEqual([expected]);
  });

  it('finds the tenant by CallRail company resource id and takes the new resource id as call id', async () => {
    const { app, publisher } = gateway();
    const response = await postWebhook(app, JSON.stringify(POST_CALL));
    expect(response.statusCode).toBe(202);
    const [call] = publisher.published;
    expect(call).toMatchObject({
      call_id: 'CAL8154748ae6bd4e278a7cddd38a662f4f',
      tenant_id: 'tenant_your_company',
      callrail_company_id: 'COM8154748ae6bd4e278a7cddd38a662f4f',
      duration_seconds: 13,
      voicemail: false,
      recording_url: 'https://app.callrail.com/calls/CAL1/recording',
      tracking_number: '+15559870000',
      source: 'Google Ads',
      start_time: Date.parse('2026-11-25T17:14:03.000Z'),
      marketing: { campaign: 'kitchen', utm_source: 'google' },
    });
  });

  it('reads legacy field names and numeric ids', async () => {
    const { app, publisher } = gateway();
    const legacy = {
      id: 998877,
      company_id: 12345,
      callernum: '+15550001111',
      callername: 'Bob Smith',
      callercity: 'Austin',
      callerstate: 'TX',
      trackingnum: '+15550002222',
      callsource: 'Yelp',
      datetime: '2026-11-20T10:00:00Z',
      duration: 95,
      answered: 'false',
    };
    expect((await postWebhook(app, JSON.stringify(legacy))).statusCode).toBe(202);
    expect(publisher.published[0]).toMatchObject({
      call_id: '998877',
      callrail_company_id: '12345',
      customer_phone: '+15550001111',
      customer_name: 'Bob Smith',
      customer_city: 'Austin',
      customer_state: 'TX',
      tracking_number: '+15550002222',
      source: 'Yelp',
      duration_seconds: 95,
      answered: false,
      start_time: Date.parse('2026-11-20T10:00:00Z'),
    });
  });

  it('treats empty strings as missing', async () => {
    const { app, publisher } = gateway();
    const body = { ...POST_CALL, customer_name: '', customer_city: '', recording: '', duration: '' };
    expect((await postWebhook(app, JSON.stringify(body))).statusCode).toBe(202);
    expect(publisher.published[0]).toMatchObject({
      customer_name: null,
      customer_city: null,
      recording_url: null,
      duration_seconds: null,
    });
  });

  it('renders a conversational transcript as speaker lines', async () => {
    const { app, publisher } = gateway();
    const body = {
      ...POST_CALL,
      transcription: '',
      conversational_transcript: [
        { speaker: 'Agent', phrase: 'How can I help?' },
        { speaker: 'Caller', phrase: 'New bathroom vanity.' },
      ],
    };
    expect((await postWebhook(app, JSON.stringify(body))).statusCode).toBe(202);
    expect(publisher.published[0]?.transcription).toBe(
      'Agent: How can I help?\nCaller: New bathroom vanity.',
    );
  });

  it.each([
    [
      'numbered channels, as Speaker N',
      [
        { channel: 0, content: 'Thanks for calling, how can I help?' },
        { channel: 1, content: 'I need a roof quote.' },
      ],
      'Speaker 0: Thanks for calling, how can I help?\nSpeaker 1: I need a roof quote.',
    ],
    [
      'a turn without a speaker, unlabelled rather than "Unknown:"',
      [{ speaker: 'Agent', phrase: 'How can I help?' }, { phrase: 'and the gutters' }],
      'Agent: How can I help?\nand the gutters',
    ],
    [
      'turns sent as a JSON string',
      JSON.stringify([{ speaker: 'Customer', phrase: 'New roof please.' }]),
      'Customer: New roof please.',
    ],
    [
      'text that only starts like JSON',
      '[00:00] Agent: Hi. Caller: Roof.',
      '[00:00] Agent: Hi. Caller: Roof.',
    ],
    ['a string nested deeper than turns, as text', '[[["Agent: Hi."]]]', '[[["Agent: Hi."]]]'],
  ])('reads a conversational transcript of %s', async (_shape, conversation, expected) => {
    const { app, publisher } = gateway();
    const body = { ...POST_CALL, transcription: '', conversational_transcript: conversation };
    expect((await postWebhook(app, JSON.stringify(body))).statusCode).toBe(202);
    expect(publisher.published[0]?.transcription).toBe(expected);
  });

  it('prefers the conversational turns, which say who spoke, to the plain transcription', async () => {
    const { app, publisher } = gateway();
    const body = {
      ...POST_CALL,
      transcription: 'how can I help I need a new roof',
      conversational_transcript: [
        { speaker: 'Agent', phrase: 'How can I help?' },
        { speaker: 'Customer', phrase: 'I need a new roof.' },
      ],
    };
    expect((await postWebhook(app, JSON.stringify(body))).statusCode).toBe(202);
    expect(publisher.published[0]?.transcription).toBe(
      'Agent: How can I help?\nCustomer: I need a new roof.',
    );
  });

  it("reads a Call Modified event's later transcription_text", async () => {
    const { app, publisher } = gateway();
    const body = { ...POST_CALL, transcription: '', transcription_text: 'Caller: A new roof please.' };
    expect((await postWebhook(app, JSON.stringify(body))).statusCode).toBe(202);
    expect(publisher.published[0]?.transcription).toBe('Caller: A new roof please.');
  });

  it('takes a CallRail form submission as a form lead', async () => {
    const { app, publisher } = gateway();
    const form = {
      resource_id: 'FRM123',
      company_id: 12345,
      form_data: {
        'First Name': 'Ana',
        last_name: 'Lopez',
        Email: 'Ana@Example.com',
        phone: '555-123-4567',
        message: 'Need a quote',
      },
      submitted_at: '2026-11-25T08:00:00Z',
      landing_page_url: 'https://acme.example/quote',
    };
    expect((await postWebhook(app, JSON.stringify(form))).statusCode).toBe(202);
    expect(publisher.published[0]).toMatchObject({
      call_id: 'FRM123',
      source_kind: 'callrail_form',
      source_name: null,
      callrail_event: 'form_submission',
      customer_email: 'ana@example.com',
      customer_phone: '555-123-4567',
      transcription: 'Need a quote',
      marketing: { landing_page_url: 'https://acme.example/quote' },
    });
  });

  it("accepts the guide's x-callrail-signature sha256 form", async () => {
    const { app } = gateway();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/callrail/webhook',
      headers: {
        'content-type': 'application/json',
        'x-callrail-signature': sha256Signature(GUIDE_TEST_WEBHOOK),
      },
      payload: GUIDE_TEST_WEBHOOK,
    });
    expect(response.statusCode).toBe(202);
  });

  it('refuses a body changed after signing, and a missing signature, with 401 and publishes nothing', async () => {
    const { app, publisher } = gateway();
    const tampered = GUIDE_TEST_WEBHOOK.replace('Jane', 'John');
    const bad = await postWebhook(app, tampered, { signature: sha1Signature(GUIDE_TEST_WEBHOOK) });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ code: 'signature_error', message: 'the signature does not match' });
    const missing = await app.inject({
      method: 'POST',
      url: '/v1/callrail/webhook',
      headers: { 'content-type': 'application/json' },
      payload: GUIDE_TEST_WEBHOOK,
    });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().message).toMatch(/missing/);
    expect(publisher.published).toEqual([]);
  });

  it("refuses a signature made with another tenant's token", async () => {
    const { app } = gateway();
    const response = await postWebhook(app, GUIDE_TEST_WEBHOOK, {
      signature: sha1Signature(GUIDE_TEST_WEBHOOK, 'other'),
    });
    expect(response.statusCode).toBe(401);
  });

  it('answers 404 for a tenant or company nobody configured', async () => {
    const { app } = gateway();
    const unknownTenant = JSON.stringify({ call_id: 'x', tenant_id: 'tenant_nobody' });
    expect((await postWebhook(app, unknownTenant)).json()).toMatchObject({
      statusCode: 404,
      code: 'unknown_tenant',
    });
    const unknownCompany = JSON.stringify({ resource_id: 'CAL1', company_id: 424242 });
    expect((await postWebhook(app, unknownCompany)).statusCode).toBe(404);
  });

  it('answers 400 for malformed JSON, and for a body naming no tenant', async () => {
    const { app } = gateway();
    const malformed = await postWebhook(app, '{"call_id": ');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().message).toMatch(/not valid JSON/);
    const anonymous = await postWebhook(app, JSON.stringify({ resource_id: 'CAL1' }));
    expect(anonymous.statusCode).toBe(400);
    expect(anonymous.json().message).toMatch(/tenant_id, company_resource_id or company_id/);
  });

  it('answers 400 naming the field for a duration that is not whole seconds', async () => {
    const { app, publisher } = gateway();
    for (const duration of ['abc', '12.5', -3]) {
      const body = JSON.stringify({ ...JSON.parse(GUIDE_TEST_WEBHOOK), duration });
      const response = await postWebhook(app, body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'validation_error', field: 'duration' });
    }
    expect(publisher.published).toEqual([]);
  });

  it('answers 400 naming the field when a value has the wrong type', async () => {
    const { app } = gateway();
    const body = JSON.stringify({ ...JSON.parse(GUIDE_TEST_WEBHOOK), customer_city: { name: 'LA' } });
    const response = await postWebhook(app, body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'customer_city' });
  });

  it('refuses a replayed webhook outside the freshness window when the tenant enabled one', async () => {
    const { app } = gateway();
    const stale = JSON.stringify({ resource_id: 'CAL9', company_id: 777, timestamp: '2026-11-25T16:00:00Z' });
    expect((await postWebhook(app, stale)).statusCode).toBe(401);
    const fresh = JSON.stringify({ resource_id: 'CAL9', company_id: 777, timestamp: '2026-11-25T17:19:00Z' });
    expect((await postWebhook(app, fresh)).statusCode).toBe(202);
  });

  it('answers 503 with Retry-After when Kafka refuses the write, and counts nothing as accepted', async () => {
    const { app, publisher, metrics } = gateway();
    publisher.behaviour = 'fail';
    const response = await postWebhook(app, GUIDE_TEST_WEBHOOK);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ code: 'kafka_unavailable' });
    expect(publisher.published).toEqual([]);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'leadstream_gateway_requests_total{route="/v1/callrail/webhook",status_code="503"} 1',
    );
    expect(text).not.toContain('status_code="202"');
  });

  it('answers 503 when Kafka does not acknowledge in time', async () => {
    const { app, publisher } = gateway();
    publisher.behaviour = 'hang';
    const response = await postWebhook(app, GUIDE_TEST_WEBHOOK);
    expect(response.statusCode).toBe(503);
  });
});
