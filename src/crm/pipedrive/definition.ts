import { defineCrm } from '../define-crm.js';
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
  createAdapter: ({ clock, ledger }) => new PipedriveAdapter({ clock, ledger }),
  checkConnectivity: checkPipedriveConnectivity,
  errorRules: { api: PIPEDRIVE_ERROR_RULES },
  workflowActions: { names: ['create_task'] },
  rateLimits: PIPEDRIVE_RATE_LIMITS,
});
