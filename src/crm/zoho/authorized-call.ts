import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Logger } from '../../observability/logger.js';
import type { Clock } from '../../time/clock.js';
import { withTokenRefresh } from '../kernel/token-refresh.js';
import type { ZohoAccessToken, ZohoAccessTokens, ZohoCredentials } from './access-tokens.js';
import { classifyZohoStatus, isInvalidToken } from './error-classification.js';
import { zohoFetch } from './zoho-http.js';

/** Where and how one tenant's Zoho records are reached. */
export interface ZohoTarget {
  tenantId: string;
  credentials: ZohoCredentials;
  /** Replaces the api_domain the token answer names (tests, proxies). */
  apiDomain: string | undefined;
  apiVersion: string;
  module: string;
  /** Waits for the tenant's rate-limit slot. */
  gate: () => Promise<number>;
  timeoutMs: number;
  logger: Logger;
}

/** `{api_domain}/crm/{version}/{module}`, the base of the module's record endpoints. */
export function moduleUrl(target: ZohoTarget, token: ZohoAccessToken): string {
  const domain = (target.apiDomain ?? token.apiDomain).replace(/\/+$/, '');
  return `${domain}/crm/${target.apiVersion}/${encodeURIComponent(target.module)}`;
}

/**
 * Runs one Zoho call with the tenant's cached access token. A token Zoho no longer accepts
 * (INVALID_TOKEN) is dropped and the call made once more with a fresh one.
 */
export async function withZohoToken<T>(
  tokens: ZohoAccessTokens,
  target: ZohoTarget,
  operation: string,
  call: (token: ZohoAccessToken) => Promise<T>,
): Promise<T> {
  return withTokenRefresh(
    {
      token: () => tokens.get(target.tenantId, target.credentials),
      isRefusal: isInvalidToken,
      drop: (token) => tokens.invalidate(target.tenantId, token.accessToken),
      onRefusal: () =>
        target.logger.info(
          { workflow_step: 'crm_push' },
          'Zoho no longer accepts the access token; refreshing it',
        ),
      refusedAgain: (error) =>
        new LeadstreamError(
          'crm_auth_error',
          'Zoho refused a freshly issued access token: check that data_centre (or api_domain) is where the account lives',
          { details: { operation, error_code: 'INVALID_TOKEN' }, cause: error },
        ),
    },
    call,
  );
}

/**
 * Reads records with one GET below the module's base (`path`: a search, a list, a related list), with
 * the tenant's rate-limit slot and token: the `data` array of a 200, nothing on Zoho's 204 (no match),
 * and any other answer classified by the shared rule.
 */
export function readZohoRecords(
  tokens: ZohoAccessTokens,
  clock: Clock,
  target: ZohoTarget,
  operation: string,
  tokenOperation: string,
  path: string,
): Promise<Array<Record<string, unknown> | null>> {
  return withZohoToken(tokens, target, tokenOperation, async (token) => {
    await target.gate();
    const { status, body, retryAfterMs } = await zohoFetch(operation, `${moduleUrl(target, token)}${path}`, {
      method: 'GET',
      accessToken: token.accessToken,
      timeoutMs: target.timeoutMs,
      clock,
      outbound: target.credentials.outbound,
    });
    if (status === 204) return [];
    const records = (body as { data?: unknown } | null)?.data;
    if (status !== 200 || !Array.isArray(records))
      throw classifyZohoStatus(operation, status, body, retryAfterMs);
    return records as Array<Record<string, unknown> | null>;
  });
}
