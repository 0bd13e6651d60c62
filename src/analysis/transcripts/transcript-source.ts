import type { TenantConfig } from '../../config/tenants/tenant-config.js';
import type { RawCall } from '../../events/raw-call.js';

/** Where the transcript of a call whose webhook carried none can be asked for. */
export interface TranscriptSource {
  readonly name: string;
  /** Whether the tenant's configuration lets this source be asked (its credentials are there). */
  canFetch(tenant: TenantConfig): boolean;
  /** The call's transcript, or null when the source has none for it. Throws LeadstreamError. */
  transcriptOf(call: RawCall, tenant: TenantConfig): Promise<string | null>;
}
