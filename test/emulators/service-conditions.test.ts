import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN as HUBSPOT_TOKEN, startHubSpotEmulator } from './hubspot/emulator.js';
import { DEFAULT_TOKEN as PIPEDRIVE_TOKEN, startPipedriveEmulator } from './pipedrive/emulator.js';
import { startSalesforceEmulator } from './salesforce/emulator.js';

const stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function timed(request: Promise<Response>): Promise<{ ms: number; status: number; body: unknown }> {
  const started = performance.now();
  const response = await request;
  const body = (await response.text()) || null;
  return {
    ms: performance.now() - started,
    status: response.status,
    body: body === null ? null : JSON.parse(body),
  };
}

describe('an emulator with its latency and outage switches', () => {
  it('HubSpot: down, every request gets its 503 and creates nothing; back up, the same create succeeds', async () => {
    const hubspot = await startHubSpotEmulator();
    stops.push(hubspot.stop);
    const create = () =>
      timed(
        fetch(`${hubspot.url}/crm/v3/objects/contacts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${HUBSPOT_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ properties: { phone: '+15125550143' } }),
        }),
      );

    hubspot.setOutage(true);
    const down = await create();
    const unauthenticated = await timed(fetch(`${hubspot.url}/crm/v3/objects/contacts`));
    expect([down.status, unauthenticated.status]).toEqual([503, 503]);
    expect(down.body).toMatchObject({ status: 'error', message: 'Service Unavailable' });
    expect(hubspot.contacts()).toHaveLength(0);

    hubspot.setOutage(false);
    expect((await create()).status).toBe(201);
    expect(hubspot.contacts()).toHaveLength(1);
  });

  it('Pipedrive: answers no sooner than its latency, and with its own 503 while down', async () => {
    // A latency far above what a local request takes on a loaded machine, so "fast" cannot be confused.
    const latency = { minMs: 1_000, maxMs: 1_050 };
    const pipedrive = await startPipedriveEmulator({ latency });
    stops.push(pipedrive.stop);
    const create = () =>
      timed(
        fetch(`${pipedrive.url}/api/v2/persons`, {
          method: 'POST',
          headers: { 'x-api-token': PIPEDRIVE_TOKEN, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Jane Doe' }),
        }),
      );

    const slow = await create();
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(latency.minMs - 5);

    pipedrive.setOutage(true);
    const down = await create();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ success: false, error: 'Service Unavailable' });
    expect(pipedrive.persons()).toHaveLength(1);

    pipedrive.setLatency(undefined);
    pipedrive.setOutage(false);
    const fast = await create();
    expect(fast.status).toBe(200);
    expect(fast.ms).toBeLessThan(latency.minMs - 5);
    expect(pipedrive.persons()).toHaveLength(2);
  });

  it('Salesforce: down, even the token endpoint answers SERVER_UNAVAILABLE; back up, it answers as before', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const salesforce = await startSalesforceEmulator({
      connectedApps: [{ consumerKey: 'key', certificate: publicKey, usernames: ['api@company.com'] }],
    });
    stops.push(salesforce.stop);
    const token = () =>
      timed(
        fetch(`${salesforce.url}/services/oauth2/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=not-a-jwt',
        }),
      );

    salesforce.setOutage(true);
    const down = await token();
    expect(down.status).toBe(503);
    expect(down.body).toEqual([expect.objectContaining({ errorCode: 'SERVER_UNAVAILABLE' })]);

    salesforce.setOutage(false);
    const up = await token();
    expect(up.status).toBe(400);
    expect(up.body).toMatchObject({ error: expect.any(String) });
  });
});
