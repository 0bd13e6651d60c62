import { type ConnectivityAdvice, connectivityCheck } from '../connectivity-result.js';
import { SalesforceClientFactory } from './client-factory.js';
import type { SalesforceCrmConfig } from './config.js';

const ADVICE: ConnectivityAdvice = {
  crm_auth_error:
    'Salesforce refused the credentials: check consumer_key, username and private_key against the connected app (certificate uploaded, user pre-authorized)',
  config_error: 'the Salesforce settings are unusable',
  crm_unavailable:
    'Salesforce could not be reached: check crm_config.instance_url, login_url and the network',
  crm_rate_limited:
    "Salesforce is holding this org's API requests back right now: the credentials work, try again later",
  crm_not_found: 'Salesforce does not serve this API version or object: check crm_config.api_version',
  secret_error: 'a Salesforce credential could not be read from its secret reference',
};

interface DailyRequests {
  DailyApiRequests?: { Max?: number; Remaining?: number };
}

/**
 * The guide's "Salesforce test" for leadstream: gets a token through the JWT bearer flow, reads the
 * org's limits, and checks that Lead has every field the tenant's mapping writes (a missing custom
 * field would otherwise fail every delivery).
 */
export const checkSalesforceConnectivity = connectivityCheck<SalesforceCrmConfig>(
  'Salesforce',
  ADVICE,
  async (target) => {
    const { tenantId, config, secrets, ...options } = target;
    const factory = new SalesforceClientFactory({ clock: options.clock, timeoutMs: options.timeoutMs });
    const session = await factory.sessionFor(tenantId, config, secrets, options.logger, options.outbound);
    const limits = (await session.call('limits', (conn) => conn.limits())) as DailyRequests;
    const describe = await session.call('Lead.describe', (conn) => conn.sobject('Lead').describe());
    const known = new Set(describe.fields.map((field) => field.name));
    const missing = Object.keys(config.object_mappings.lead).filter((name) => !known.has(name));
    if (missing.length > 0) {
      return {
        ok: false,
        message: `Salesforce accepted the credentials, but Lead has no field ${missing.join(', ')}: create ${missing.length > 1 ? 'them' : 'it'} (setup guide step 4) or fix object_mappings.lead`,
      };
    }
    const daily = limits.DailyApiRequests;
    const budget =
      daily?.Remaining === undefined || daily.Max === undefined
        ? ''
        : `; ${daily.Remaining} of ${daily.Max} daily API requests left`;
    return {
      ok: true,
      message: `Salesforce accepted the JWT assertion and Lead has every mapped field${budget}`,
    };
  },
);
