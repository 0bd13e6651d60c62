import {
  DEFAULT_TOKEN,
  type PipedriveEmulator,
  startPipedriveEmulator,
} from '../../../emulators/pipedrive/emulator.js';
import { CALLER_PHONE, describeCrmContract, operationsOf, secretRef } from '../../../support/crm-contract.js';
import { guideCrmConfig } from '../../../support/guide-fixtures.js';

const ROTATED_TOKEN = 'fedcba9876543210fedcba9876543210fedcba98';

/**
 * Every activity counted once, as what it is: a task, or a call, which is a call log or a done call
 * activity. A call log is also a call activity in Pipedrive (its activity_id), not a second call.
 */
function activityCounts(emulator: PipedriveEmulator): { tasks: number; calls: number } {
  const logged = new Set(emulator.callLogs().map((log) => log.activity_id));
  const activities = emulator.activities().filter((activity) => !logged.has(activity.id));
  return {
    tasks: activities.filter((activity) => activity.type === 'task').length,
    calls: logged.size + activities.filter((activity) => activity.type === 'call').length,
  };
}

describeCrmContract({
  crm: 'pipedrive',
  callerKind: 'persons',
  // The guide's block: a person and a deal, a follow-up task for an immediate timeline, and the call.
  created: (command) => ({ persons: 1, deals: 1, tasks: 1, calls: operationsOf(command, 'log_call') }),
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
          ...activityCounts(emulator),
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
