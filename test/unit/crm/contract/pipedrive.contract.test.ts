import { DEFAULT_TOKEN, startPipedriveEmulator } from '../../../emulators/pipedrive/emulator.js';
import { CALLER_PHONE, describeCrmContract, secretRef } from '../../../support/crm-contract.js';
import { guideCrmConfig } from '../../../support/guide-fixtures.js';

const ROTATED_TOKEN = 'fedcba9876543210fedcba9876543210fedcba98';

describeCrmContract({
  crm: 'pipedrive',
  callerKind: 'persons',
  // The guide's block: a person and a deal, and a follow-up activity for an immediate timeline.
  created: () => ({ persons: 1, deals: 1, activities: 1 }),
  mapped: (score) => ({ name: 'Jane Doe', phone: CALLER_PHONE, lead_score: score }),
  // The two-second burst window.
  rateLimitDelayMs: 2_000,
  async start() {
    // Search lags nothing: the returning caller is found by search.
    const emulator = await startPipedriveEmulator();
    const leadScore = emulator.fieldKey('person', 'AI Lead Score');
    return {
      crmConfig: {
        ...guideCrmConfig('pipedrive'),
        api_token: secretRef('contract-pipedrive-token'),
        api_base_url: `${emulator.url}/api/v2`,
        workflow_triggers: {
          immediate_timeline: { condition: "ai_analysis.timeline == 'immediate'", actions: ['create_task'] },
        },
        duplicate_detection: { enabled: true, match_fields: ['phone', 'email'] },
      },
      secrets: { 'contract-pipedrive-token': DEFAULT_TOKEN },
      emulator: {
        counts: () => ({
          persons: emulator.persons().length,
          deals: emulator.deals().length,
          activities: emulator.activities().length,
        }),
        callerRecord() {
          const person = emulator.persons()[0];
          return (
            person && {
              name: person.name,
              phone: person.phones[0]?.value,
              lead_score: person.custom_fields[leadScore],
            }
          );
        },
        rateLimitNext: () => emulator.rateLimitNext(1),
        revokeCredential: () => emulator.tokens.delete(DEFAULT_TOKEN),
        rotateCredential() {
          emulator.tokens.delete(DEFAULT_TOKEN);
          emulator.tokens.add(ROTATED_TOKEN);
          return { 'contract-pipedrive-token': ROTATED_TOKEN };
        },
        stop: () => emulator.stop(),
      },
    };
  },
});
