import type { TenantConfig } from '../config/tenants/tenant-config.js';
import type { AiAnalysis } from '../events/ai-analysis.js';
import type { RawCall } from '../events/raw-call.js';

/** Turns a raw call or form into its analysis. Implementations throw LeadstreamError('analysis_error'). */
export interface Analyzer {
  readonly name: string;
  analyze(call: RawCall, tenant: TenantConfig): Promise<AiAnalysis>;
}
