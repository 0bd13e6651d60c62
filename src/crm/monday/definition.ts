import { createdStrings } from '../created-records.js';
import type { CrmDefinition } from '../crm-definition.js';
import { compileMondayCommand } from './command-mapping.js';
import { type MondayCrmConfig, mondayCrmConfigSchema } from './config.js';
import { checkMondayConnectivity } from './connectivity-check.js';
import { MONDAY_ERROR_RULES } from './error-classification.js';
import { MondayAdapter } from './monday-adapter.js';
import { DEFAULT_MONDAY_RATE_LIMIT } from './rate-limits.js';

/** Monday.com through its GraphQL API: one item per lead on a board. */
export const mondayDefinition: CrmDefinition<MondayCrmConfig> = {
  type: 'monday',
  title: 'Monday.com',
  configSchema: mondayCrmConfigSchema,
  compileCommand: compileMondayCommand,
  createAdapter: ({ clock, ledger }) => new MondayAdapter({ clock, createdRecords: createdStrings(ledger) }),
  checkConnectivity: checkMondayConnectivity,
  errorRules: { api: MONDAY_ERROR_RULES },
  // The board's own automations react to the item; the CRM write runs no action itself.
  workflowActions: { names: [] },
  rateLimits: { general: DEFAULT_MONDAY_RATE_LIMIT },
};
