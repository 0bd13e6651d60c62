import type { Client } from '@hubspot/api-client';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Clock } from '../../time/clock.js';
import { callHubSpot } from './error-classification.js';

export interface ConnectivityResult {
  ok: boolean;
  /** One sentence a tenant admin can act on. */
  message: string;
}

const ADVICE: Partial<Record<LeadstreamError['type'], string>> = {
  crm_auth_error: 'HubSpot refused the token: check crm_config.api_token and the private app scopes',
  crm_unavailable: 'HubSpot could not be reached: check crm_config.base_url and the network',
  crm_rate_limited: 'HubSpot is rate-limiting this token right now: the credentials work, try again shortly',
  secret_error: 'the token could not be read from its secret reference',
};

/**
 * The guide's "Test API Connectivity" for HubSpot: reads one contact with the tenant's token and says,
 * in a sentence, whether leadstream can work with it and if not what to fix.
 */
export async function checkHubSpotConnectivity(
  client: () => Promise<Client>,
  options: { clock: Clock; timeoutMs: number },
): Promise<ConnectivityResult> {
  try {
    await callHubSpot(
      'contacts.getPage',
      async () => (await client()).crm.contacts.basicApi.getPage(1),
      options,
    );
    return { ok: true, message: 'HubSpot accepted the token and answered: contacts can be read' };
  } catch (error) {
    const failure =
      error instanceof LeadstreamError ? error : new LeadstreamError('internal_error', String(error));
    const advice = ADVICE[failure.type] ?? 'HubSpot answered with an error';
    return { ok: false, message: `${advice} (${failure.message})` };
  }
}
