import type { TenantConfig } from '../../config/tenants/tenant-config.js';
import type { AiAnalysis } from '../../events/ai-analysis.js';
import type { RawCall } from '../../events/raw-call.js';
import { EmbeddedAnalyzer } from '../embedded/embedded-analyzer.js';

/** What of a tenant's configuration the embedded analyzer reads: its own project types. */
export type AnalysisTenant = Pick<TenantConfig, 'analysis'>;
type ProjectTypes = NonNullable<TenantConfig['analysis']['project_types']>;

/**
 * One call to analyse, as plain data a worker thread receives. `typesId` names the tenant's project
 * types (the same configuration object, the same id), so a worker compiles them once, not per call.
 */
export interface AnalysisRequest {
  id: number;
  call: RawCall;
  typesId: number;
  projectTypes: ProjectTypes | undefined;
}

export type AnalysisReply =
  | { id: number; analysis: AiAnalysis }
  /** The analyzer threw: a bug, as it would be in the main thread. */
  | { id: number; failure: string };

const analyzer = new EmbeddedAnalyzer();
/** Tenants as the worker last saw them, by `typesId`; a configuration reload brings new ids. */
const tenantsSeen = new Map<number, AnalysisTenant>();
const TENANTS_KEPT = 1_024;

/** A worker's answer to one request: the embedded analyzer's analysis, exactly as in the main thread. */
export function answer(request: AnalysisRequest): AnalysisReply {
  let tenant = tenantsSeen.get(request.typesId);
  if (!tenant) {
    if (tenantsSeen.size >= TENANTS_KEPT) tenantsSeen.clear();
    tenant = {
      analysis: request.projectTypes === undefined ? {} : { project_types: request.projectTypes },
    };
    tenantsSeen.set(request.typesId, tenant);
  }
  try {
    return { id: request.id, analysis: analyzer.analyzeNow(request.call, tenant) };
  } catch (error) {
    return { id: request.id, failure: error instanceof Error ? error.message : String(error) };
  }
}
