import { startHubSpotEmulator } from '../../../emulators/hubspot/emulator.js';
import { defineGuideProperties } from '../../../emulators/hubspot/guide-properties.js';
import { CALLER_PHONE, describeCrmContract, operationsOf, secretRef } from '../../../support/crm-contract.js';
import { guideCrmConfig } from '../../../support/guide-fixtures.js';

const TOKEN = 'pat-na1-11111111-1111-4111-8111-000000000001';
const ROTATED_TOKEN = 'pat-na1-22222222-2222-4222-8222-000000000002';
const OWNERS = [{ email: 'owner@company.com', id: '90001' }];

describeCrmContract({
  crm: 'hubspot',
  callerKind: 'contacts',
  // The guide's block: a contact, a deal, a task for an immediate timeline, and the call on the timeline.
  created: (command) => ({ contacts: 1, deals: 1, tasks: 1, calls: operationsOf(command, 'log_call') }),
  mapped: (score) => ({
    phone: CALLER_PHONE,
    firstname: 'Jane',
    lastname: 'Doe',
    ai_lead_score: String(score),
  }),
  // The ten-second rolling window.
  rateLimitDelayMs: 10_000,
  async start() {
    // A rotated private-app token is a new token of the same portal; the emulator keeps a portal per
    // token, so the rotated one is a second portal set up alike, and records are counted over both.
    // Search lags nothing: the returning caller is found by search.
    const emulator = await startHubSpotEmulator({
      portals: [
        { token: TOKEN, owners: OWNERS },
        { token: ROTATED_TOKEN, owners: OWNERS },
      ],
    });
    for (const token of [TOKEN, ROTATED_TOKEN]) defineGuideProperties(emulator.portal(token));
    const all = <T>(records: (token: string) => T[]) => [TOKEN, ROTATED_TOKEN].flatMap(records);
    return {
      crmConfig: {
        ...guideCrmConfig('hubspot'),
        api_token: secretRef('contract-hubspot-token'),
        base_url: emulator.url,
      },
      secrets: { 'contract-hubspot-token': TOKEN },
      emulator: {
        counts: () => ({
          contacts: all(emulator.contacts).length,
          deals: all(emulator.deals).length,
          tasks: all(emulator.tasks).length,
          calls: all(emulator.calls).length,
        }),
        callerRecord: () => emulator.contacts(TOKEN)[0]?.properties,
        rateLimitNext: () => emulator.rateLimitNext(1),
        revokeCredential: () => emulator.revokeToken(TOKEN),
        rotateCredential() {
          emulator.revokeToken(TOKEN);
          return { 'contract-hubspot-token': ROTATED_TOKEN };
        },
        stop: () => emulator.stop(),
      },
    };
  },
});
