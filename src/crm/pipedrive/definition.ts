import { createdNumbers, createdStrings } from '../created-records.js';
import { defineCrm } from '../define-crm.js';
import { recentNumbers } from '../recent-matches.js';
import { compilePipedriveCommand } from './command-mapping.js';
import { pipedriveCrmConfigSchema } from './config.js';
import { checkPipedriveConnectivity } from './connectivity-check.js';
import { PIPEDRIVE_ERROR_RULES } from './error-classification.js';
import { PipedriveAdapter } from './pipedrive-adapter.js';
import { PIPEDRIVE_RATE_LIMITS } from './rate-limits.js';

/** Pipedrive through its official SDK and an API token. */
export const pipedriveDefinition = defineCrm(pipedriveCrmConfigSchema, {
  title: 'Pipedrive',
  compileCommand: compilePipedriveCommand,
  createAdapter: ({ clock, ledger }) =>
    new PipedriveAdapter({
      clock,
      createdRecords: createdNumbers(ledger),
      // Call logs are the one Pipedrive record whose id is text.
      createdCallLogs: createdStrings(ledger),
      recentPersons: recentNumbers(ledger),
    }),
  checkConnectivity: checkPipedriveConnectivity,
  errorRules: { api: PIPEDRIVE_ERROR_RULES },
  workflowActions: { names: ['create_task'] },
  rateLimits: PIPEDRIVE_RATE_LIMITS,
});
