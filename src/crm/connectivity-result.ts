import { LeadstreamError } from '../errors/leadstream-error.js';
import type { CrmTarget, TypedCrmConfig } from './crm-definition.js';

/** What `leadstream crm test` prints for a tenant's CRM. */
export interface ConnectivityResult {
  ok: boolean;
  /** One sentence a tenant admin can act on. */
  message: string;
}

/** For each kind of failure, what a tenant admin should check in this CRM's settings. */
export type ConnectivityAdvice = Partial<Record<LeadstreamError['type'], string>>;

const REFUSED_ADVICE =
  "the deployment's outbound policy refuses the CRM's address: use https to a public host, or have the deployment allow it in OUTBOUND_ALLOWED_HOSTS";

/** A failed check: the CRM's advice for that kind of failure, then the failure itself. */
export function failedConnectivity(
  crmName: string,
  advice: ConnectivityAdvice,
  error: unknown,
): ConnectivityResult {
  const failure =
    error instanceof LeadstreamError ? error : new LeadstreamError('internal_error', String(error));
  return {
    ok: false,
    message: `${advice[failure.type] ?? (failure.type === 'outbound_url_refused' ? REFUSED_ADVICE : `${crmName} answered with an error`)} (${failure.message})`,
  };
}

/**
 * A CRM's check as `leadstream crm test` runs it: whatever the check throws becomes one sentence, the
 * CRM's advice for that kind of failure, then the failure itself.
 */
export function connectivityCheck<C extends TypedCrmConfig>(
  crmName: string,
  advice: ConnectivityAdvice,
  check: (target: CrmTarget<C>) => Promise<ConnectivityResult>,
): (target: CrmTarget<C>) => Promise<ConnectivityResult> {
  return (target) => check(target).catch((error: unknown) => failedConnectivity(crmName, advice, error));
}
