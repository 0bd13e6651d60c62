import type { CrmDefinition } from '../crm-definition.js';
import { compileCustomCommand } from './command-mapping.js';
import { type CustomCrmConfig, customCrmConfigSchema } from './config.js';
import { checkCustomConnectivity } from './connectivity-check.js';
import { CustomRestAdapter } from './custom-rest-adapter.js';
import { DeliveredRequests } from './delivered-requests.js';
import { DEFAULT_CUSTOM_RATE_LIMIT } from './rate-limits.js';

/**
 * Any REST API the tenant describes: endpoints, payload templates, authentication. The shared status
 * rule is its whole error classification, since there is no vendor to make exceptions for.
 */
export const customDefinition: CrmDefinition<CustomCrmConfig> = {
  type: 'custom',
  title: 'custom REST',
  configSchema: customCrmConfigSchema,
  compileCommand: compileCustomCommand,
  createAdapter: ({ clock, ledger }) =>
    new CustomRestAdapter({ clock, delivered: new DeliveredRequests({ ledger }) }),
  checkConnectivity: checkCustomConnectivity,
  workflowActions: { names: [] },
  rateLimits: { general: DEFAULT_CUSTOM_RATE_LIMIT },
};
