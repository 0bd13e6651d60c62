import { type ConnectivityAdvice, connectivityCheck } from '../connectivity-result.js';
import { HubSpotClientFactory } from './client-factory.js';
import type { HubSpotCrmConfig } from './config.js';
import { callHubSpot } from './error-classification.js';

const ADVICE: ConnectivityAdvice = {
  crm_auth_error: 'HubSpot refused the token: check crm_config.api_token and the private app scopes',
  crm_unavailable: 'HubSpot could not be reached: check crm_config.base_url and the network',
  crm_rate_limited: 'HubSpot is rate-limiting this token right now: the credentials work, try again shortly',
  secret_error: 'the token could not be read from its secret reference',
};

/**
 * The guide's "Test API Connectivity" for HubSpot: reads one contact with the tenant's token and says,
 * in a sentence, whether leadstream can work with it and if not what to fix.
 */
export const checkHubSpotConnectivity = connectivityCheck<HubSpotCrmConfig>(
  'HubSpot',
  ADVICE,
  async (target) => {
    const { tenantId, config, secrets, outbound, ...options } = target;
    await callHubSpot(
      'contacts.getPage',
      async () =>
        (
          await new HubSpotClientFactory().clientFor(tenantId, config, secrets, outbound)
        ).crm.contacts.basicApi.getPage(1),
      options,
    );
    return { ok: true, message: 'HubSpot accepted the token and answered: contacts can be read' };
  },
);
