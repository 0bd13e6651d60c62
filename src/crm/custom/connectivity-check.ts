import { LeadstreamError } from '../../errors/leadstream-error.js';
import {
  type ConnectivityAdvice,
  type ConnectivityResult,
  failedConnectivity,
} from '../connectivity-result.js';
import type { CrmTarget } from '../crm-definition.js';
import { CustomAuthenticator } from './authentication.js';
import type { CustomCrmConfig } from './config.js';
import { exchange } from './http-exchange.js';
import { OAuth2Tokens } from './oauth2-tokens.js';

const ADVICE: ConnectivityAdvice = {
  crm_auth_error: 'the CRM refused the credentials: check crm_config.authentication and their permissions',
  crm_unavailable: 'the CRM could not be reached: check crm_config.api_base_url and the network',
  crm_rate_limited: 'the CRM is rate-limiting these credentials right now: they work, try again shortly',
  crm_not_found: 'the CRM has no such address: check crm_config.api_base_url and health_check.path',
  crm_rejected: 'the CRM refused the health check request: check crm_config.health_check',
  secret_error: 'a credential could not be read from its secret reference',
};

/**
 * Resolves every credential (and fetches an OAuth2 token, which proves the client id and secret), then
 * sends the configured read-only health check. A generic REST API has no standard "who am I", so
 * without `health_check` the credentials are resolved but not tried against the API.
 */
export async function checkCustomConnectivity({
  tenantId,
  config,
  secrets,
  ...options
}: CrmTarget<CustomCrmConfig>): Promise<ConnectivityResult> {
  const now = () => options.clock.now();
  try {
    const credentials = await new CustomAuthenticator(new OAuth2Tokens(options.clock)).credentialsFor(
      config.authentication,
      { tenantId, secrets, timeoutMs: options.timeoutMs, outbound: options.outbound },
    );
    const check = config.health_check;
    if (check === undefined) {
      return {
        ok: true,
        message: `credentials (${config.authentication.type}) resolved; add crm_config.health_check to try them against the API`,
      };
    }
    const url = new URL(`${config.api_base_url.replace(/\/+$/, '')}${check.path}`);
    for (const [name, value] of Object.entries(credentials.query)) url.searchParams.set(name, value);
    const answer = await exchange(
      { method: check.method, url, headers: { Accept: 'application/json', ...credentials.headers } },
      {
        label: `health_check (${check.method} ${check.path})`,
        timeoutMs: options.timeoutMs,
        outbound: options.outbound,
        redact: credentials.redact,
        now,
      },
    );
    return {
      ok: true,
      message: `OK: ${check.method} ${check.path} answered ${answer.status} with these credentials`,
    };
  } catch (error) {
    if (error instanceof LeadstreamError) return failedConnectivity('The CRM', ADVICE, error);
    throw error;
  }
}
