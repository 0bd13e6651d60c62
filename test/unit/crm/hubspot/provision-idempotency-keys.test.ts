import { Client } from '@hubspot/api-client';
import { afterEach, describe, expect, it } from 'vitest';
import { provisionIdempotencyKeys } from '../../../../src/crm/hubspot/provision-idempotency-keys.js';
import { systemClock } from '../../../../src/time/clock.js';
import {
  DEFAULT_TOKEN,
  type HubSpotEmulator,
  startHubSpotEmulator,
} from '../../../emulators/hubspot/emulator.js';

describe('leadstream crm provision: the HubSpot idempotency key', () => {
  let emulator: HubSpotEmulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  async function provision() {
    emulator ??= await startHubSpotEmulator();
    const client = new Client({
      accessToken: DEFAULT_TOKEN,
      basePath: emulator.url,
      numberOfApiCallRetries: 0,
    });
    return provisionIdempotencyKeys(client, { clock: systemClock, timeoutMs: 5_000 });
  }

  it('creates a unique text property on deals in the leadstream group, once', async () => {
    const first = await provision();
    expect(first).toEqual({ created: ['deals'], existing: [], conflicts: [] });
    expect(emulator?.portal().properties.deals.get('leadstream_idempotency_key')).toMatchObject({
      type: 'string',
      fieldType: 'text',
      groupName: 'leadstream',
      hasUniqueValue: true,
      formField: false,
    });
    const creates = () => emulator?.requestsTo('POST', /^\/crm\/v3\/properties\/deals/).length;
    const before = creates();
    const second = await provision();
    expect(second).toEqual({ created: [], existing: ['deals'], conflicts: [] });
    expect(creates()).toBe(before);
  });

  it('reports a property of that name without unique values instead of trusting it', async () => {
    emulator = await startHubSpotEmulator();
    emulator.portal().defineProperty('deals', { name: 'leadstream_idempotency_key', type: 'string' });
    const report = await provision();
    expect(report.created).toEqual([]);
    expect(report.conflicts).toEqual([
      { object_type: 'deals', reason: expect.stringContaining('exists without unique values') },
    ]);
  });
});
