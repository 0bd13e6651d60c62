import { createdStrings } from '../created-records.js';
import { defineCrm } from '../define-crm.js';
import { compileSalesforceCommand } from './command-mapping.js';
import { salesforceCrmConfigSchema } from './config.js';
import { checkSalesforceConnectivity } from './connectivity-check.js';
import { SALESFORCE_ERROR_RULES } from './error-classification.js';
import { provisionSalesforce } from './provisioning.js';
import { DEFAULT_SALESFORCE_RATE_LIMIT } from './rate-limits.js';
import { SalesforceAdapter } from './salesforce-adapter.js';

/** Salesforce through jsforce, with a connected app's JWT bearer flow. */
export const salesforceDefinition = defineCrm(salesforceCrmConfigSchema, {
  title: 'Salesforce',
  compileCommand: compileSalesforceCommand,
  createAdapter: ({ clock, ledger }) =>
    new SalesforceAdapter({ clock, createdRecords: createdStrings(ledger) }),
  checkConnectivity: checkSalesforceConnectivity,
  provision: provisionSalesforce,
  errorRules: { api: SALESFORCE_ERROR_RULES },
  // The org's active lead assignment rule decides who any assign_* gives the lead to.
  workflowActions: { names: ['create_task'], prefix: 'assign_' },
  rateLimits: { general: DEFAULT_SALESFORCE_RATE_LIMIT },
});
