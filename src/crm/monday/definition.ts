import { defineCrm } from '../define-crm.js';
import { compileMondayCommand } from './command-mapping.js';
import { mondayCrmConfigSchema } from './config.js';
import { checkMondayConnectivity } from './connectivity-check.js';
import { MONDAY_ERROR_RULES } from './error-classification.js';
import { MondayAdapter } from './monday-adapter.js';
import { DEFAULT_MONDAY_RATE_LIMIT } from './rate-limits.js';

/**
 * Monday.com through its GraphQL API: one item per lead on a board. It runs no workflow action itself:
 * the board's own automations react to the item.
 */
export const mondayDefinition = defineCrm(mondayCrmConfigSchema, {
  title: 'Monday.com',
  compileCommand: compileMondayCommand,
  createAdapter: ({ clock, ledger }) => new MondayAdapter({ clock, ledger }),
  checkConnectivity: checkMondayConnectivity,
  errorRules: { api: MONDAY_ERROR_RULES },
  rateLimits: { general: DEFAULT_MONDAY_RATE_LIMIT },
});
