import { type ConnectivityAdvice, connectivityCheck } from '../connectivity-result.js';
import { ZohoAccessTokens, zohoCredentials } from './access-tokens.js';
import type { ZohoCrmConfig } from './config.js';
import { classifyZohoStatus } from './error-classification.js';
import { zohoFetch } from './zoho-http.js';

const ADVICE: ConnectivityAdvice = {
  crm_auth_error:
    "Zoho refused the credentials: check client_id, client_secret and refresh_token, and that data_centre is the account's",
  crm_unavailable:
    'Zoho could not be reached: check data_centre (or accounts_url / api_domain) and the network',
  crm_rate_limited: 'Zoho is holding requests back right now: the credentials work, try again shortly',
  crm_not_found: 'Zoho does not serve this module or API version: check crm_config.module and api_version',
  secret_error: 'a Zoho credential could not be read from its secret reference',
};

/**
 * The guide's "Test API Connectivity" for a Zoho tenant: a token from the data centre's accounts
 * server, then the module's field list, against which every mapped field and duplicate check field
 * is checked. Zoho drops a field it does not know without a word, so a missing custom field would
 * otherwise only show as empty values in the CRM.
 */
export const checkZohoConnectivity = connectivityCheck<ZohoCrmConfig>('Zoho', ADVICE, async (target) => {
  const { tenantId, config, secrets, ...options } = target;
  const token = await new ZohoAccessTokens(options).get(
    tenantId,
    await zohoCredentials(config, secrets, options.outbound),
  );
  const domain = (config.api_domain ?? token.apiDomain).replace(/\/+$/, '');
  const operation = 'settings.fields';
  const answer = await zohoFetch(
    operation,
    `${domain}/crm/${config.api_version}/settings/fields?module=${encodeURIComponent(config.module)}`,
    {
      method: 'GET',
      accessToken: token.accessToken,
      timeoutMs: options.timeoutMs,
      clock: options.clock,
      outbound: options.outbound,
    },
  );
  const fields = (answer.body as { fields?: Array<{ api_name?: unknown }> } | null)?.fields;
  if (answer.status !== 200 || !Array.isArray(fields)) {
    const error = classifyZohoStatus(operation, answer.status, answer.body, answer.retryAfterMs);
    if (error.details.error_code === 'OAUTH_SCOPE_MISMATCH') {
      return {
        ok: true,
        message: `Zoho accepted the refresh token, but the fields of ${config.module} could not be checked: grant the client ZohoCRM.settings.fields.READ to let this test check them`,
      };
    }
    throw error;
  }
  const known = new Set(fields.map((field) => field.api_name));
  const wanted = [...new Set([...Object.keys(config.field_mappings), ...config.duplicate_check_fields])];
  const missing = wanted.filter((name) => !known.has(name));
  if (missing.length > 0) {
    return {
      ok: false,
      message: `Zoho accepted the refresh token, but ${config.module} has no field ${missing.join(', ')}: create ${
        missing.length > 1 ? 'them' : 'it'
      } in Zoho CRM (Setup → Modules and Fields) or fix field_mappings / duplicate_check_fields`,
    };
  }
  return {
    ok: true,
    message: `Zoho accepted the refresh token (${domain}) and ${config.module} has every mapped field`,
  };
});
