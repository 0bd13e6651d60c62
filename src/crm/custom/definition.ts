import { defineCrm } from '../define-crm.js';
import { compileCustomCommand } from './command-mapping.js';
import { customCrmConfigSchema } from './config.js';
import { checkCustomConnectivity } from './connectivity-check.js';
import { CustomRestAdapter } from './custom-rest-adapter.js';
import { DeliveredRequests } from './delivered-requests.js';
import { DEFAULT_CUSTOM_RATE_LIMIT } from './rate-limits.js';

/**
 * Any REST API the tenant describes: endpoints, payload templates, authentication. The shared status
 * rule is its whole error classification, since there is no vendor to make exceptions for.
 */
export const customDefinition = defineCrm(customCrmConfigSchema, {
  title: 'custom REST',
  compileCommand: compileCustomCommand,
  createAdapter: ({ clock, ledger }) =>
    new CustomRestAdapter({ clock, delivered: new DeliveredRequests({ ledger }) }),
  checkConnectivity: checkCustomConnectivity,
  rateLimits: { general: DEFAULT_CUSTOM_RATE_LIMIT },
});
