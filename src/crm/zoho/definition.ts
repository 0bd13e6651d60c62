import { createdStrings } from '../created-records.js';
import { defineCrm } from '../define-crm.js';
import { compileZohoCommand } from './command-mapping.js';
import { zohoCrmConfigSchema } from './config.js';
import { checkZohoConnectivity } from './connectivity-check.js';
import { ZOHO_ACCOUNTS_RULES, ZOHO_ERROR_RULES } from './error-classification.js';
import { DEFAULT_ZOHO_RATE_LIMIT } from './rate-limits.js';
import { ZohoAdapter } from './zoho-adapter.js';

/** Zoho CRM through its REST API, with a self-client's refresh token. */
export const zohoDefinition = defineCrm(zohoCrmConfigSchema, {
  title: 'Zoho CRM',
  compileCommand: compileZohoCommand,
  createAdapter: ({ clock, ledger }) => new ZohoAdapter({ clock, createdRecords: createdStrings(ledger) }),
  checkConnectivity: checkZohoConnectivity,
  errorRules: { api: ZOHO_ERROR_RULES, accounts: ZOHO_ACCOUNTS_RULES },
  rateLimits: { general: DEFAULT_ZOHO_RATE_LIMIT },
});
