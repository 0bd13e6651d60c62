import { Client } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import { provisionIdempotencyKeys } from '../../../../src/crm/hubspot/provision-idempotency-keys.js';
import { createLogger } from '../../../../src/observability/logger.js';
import { systemClock } from '../../../../src/time/clock.js';
import { DEFAULT_TOKEN } from '../../../emulators/hubspot/emulator.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { failureOf } from '../../../support/failure-of.js';
import { command, contactOperation, type Harness, startHarness } from './adapter-harness.js';

const start = harnessPerTest(startHarness);

/** A contact, then the deal and task as the mapper builds them (Harness.mappedDealAndTask). */
const dealAndTask = (harness: Harness) => [
  contactOperation({ phone: '+15551234567', firstname: 'Jane' }),
  ...harness.mappedDealAndTask(
    { dealname: 'Kitchen remodel', amount: 20000 },
    { hs_task_subject: 'Call back' },
  ),
];

async function provision(url: string): Promise<void> {
  const client = new Client({ accessToken: DEFAULT_TOKEN, basePath: url, numberOfApiCallRetries: 0 });
  await provisionIdempotencyKeys(client, { clock: systemClock, timeoutMs: 5_000 });
}

/**
 * The crash window: the first delivery created the deal, then failed on the task (503), and the
 * process that redelivers has no memory of the deal at all (a new adapter, no ledger entry).
 */
async function crashAfterTheDeal(provisioned: boolean) {
  const harness = await start();
  if (provisioned) await provision(harness.emulator.url);
  const once = command('crash-1', dealAndTask(harness));
  harness.emulator.failNext(1, 503, { method: 'POST', path: /\/objects\/tasks$/ });
  const error = await failureOf(harness.adapter.execute(once, harness.context));
  expect([error.type, error.retryable]).toEqual(['crm_unavailable', true]);
  expect(harness.emulator.deals()).toHaveLength(1);
  const redelivered = await harness.restartedAdapter().execute(once, harness.context);
  return { ...harness, redelivered };
}

describe('HubSpotAdapter: deals upserted by the idempotency key', () => {
  it('makes no second deal when a process without memory redelivers, in a provisioned portal', async () => {
    const { emulator, redelivered } = await crashAfterTheDeal(true);
    expect(redelivered.outcomes.map((o) => [o.ref, o.action])).toEqual([
      ['contact', 'updated'],
      ['deal', 'updated'],
      ['task', 'created'],
    ]);
    const [contact] = emulator.contacts();
    const [deal] = emulator.deals();
    expect([emulator.contacts().length, emulator.deals().length, emulator.tasks().length]).toEqual([1, 1, 1]);
    expect(redelivered.outcomes[1]?.id).toBe(deal?.id);
    expect(deal?.properties).toMatchObject({
      dealname: 'Kitchen remodel',
      pipeline: 'default',
      dealstage: 'qualifiedtobuy',
      leadstream_idempotency_key: `${command('crash-1', []).idempotency_key}:deal`,
    });
    expect(deal?.associations).toEqual([
      { toObjectType: 'contacts', toObjectId: contact?.id, associationTypeId: 3 },
    ]);
  });

  it('still makes a second deal there when the portal lacks the key: the window provisioning closes', async () => {
    const { emulator } = await crashAfterTheDeal(false);
    expect(emulator.deals()).toHaveLength(2);
    expect(emulator.requestsTo('POST', /\/batch\/upsert$/)).toHaveLength(0);
  });

  it('asks HubSpot nothing for a deal this process remembers creating', async () => {
    const harness = await start();
    const { emulator, adapter, context } = harness;
    await provision(emulator.url);
    const propertyReads = () =>
      emulator.requestsTo('GET', /\/properties\/deals\/leadstream_idempotency_key$/).length;
    const readsByProvision = propertyReads();
    const once = command('again-1', dealAndTask(harness));
    await adapter.execute(once, context);
    const again = await adapter.execute(once, context);
    expect(again.outcomes.map((o) => o.action)).toEqual(['updated', 'skipped', 'skipped']);
    expect(emulator.requestsTo('POST', /\/deals\/batch\/upsert$/)).toHaveLength(1);
    expect(propertyReads() - readsByProvision).toBe(1);
  });

  it('says once per tenant, at info, that provisioning would make deals idempotent in HubSpot', async () => {
    const harness = await start();
    const { adapter, context } = harness;
    const lines: Array<{ level: number; message: string }> = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => lines.push(JSON.parse(line)) },
    });
    await adapter.execute(command('log-1', dealAndTask(harness)), { ...context, logger });
    await adapter.execute(command('log-2', dealAndTask(harness)), { ...context, logger });
    const told = lines.filter((line) => line.message.includes('leadstream crm provision'));
    expect(told.map((line) => line.level)).toEqual([30]);
  });
});
