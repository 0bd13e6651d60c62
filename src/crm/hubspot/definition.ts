import { defineCrm } from '../define-crm.js';
import { compileHubSpotCommand } from './command-mapping.js';
import { hubspotCrmConfigSchema } from './config.js';
import { checkHubSpotConnectivity } from './connectivity-check.js';
import { HUBSPOT_ERROR_RULES } from './error-classification.js';
import { HubSpotAdapter } from './hubspot-adapter.js';
import { provisionHubSpot } from './provision.js';
import { HUBSPOT_RATE_LIMITS } from './rate-limits.js';

/** HubSpot through its official SDK and a private app's token. */
export const hubspotDefinition = defineCrm(hubspotCrmConfigSchema, {
  title: 'HubSpot',
  compileCommand: compileHubSpotCommand,
  createAdapter: ({ clock, ledger }) => new HubSpotAdapter({ clock, ledger }),
  checkConnectivity: checkHubSpotConnectivity,
  provision: provisionHubSpot,
  errorRules: { api: HUBSPOT_ERROR_RULES },
  workflowActions: { names: ['create_task', 'assign_owner'] },
  rateLimits: HUBSPOT_RATE_LIMITS,
});
