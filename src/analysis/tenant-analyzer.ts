import type { TenantConfig } from '../config/tenants/tenant-config.js';
import { toLeadstreamError } from '../errors/leadstream-error.js';
import type { AiAnalysis } from '../events/ai-analysis.js';
import type { RawCall } from '../events/raw-call.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { OutboundGuard } from '../outbound/outbound-guard.js';
import type { SecretResolver } from '../secrets/secret-resolver.js';
import type { Analyzer } from './analyzer.js';
import { EmbeddedAnalyzer } from './embedded/embedded-analyzer.js';
import { LlmAnalyzer } from './llm/llm-analyzer.js';
import { llmFailureReasonOf } from './llm/llm-failure.js';
import { WorkerPoolAnalyzer } from './worker-pool/worker-pool-analyzer.js';

export interface TenantAnalyzerDeps {
  /** Used for tenants with an `analysis.llm` block. */
  llm: Analyzer;
  /** Used for every other tenant, and whenever the LLM analysis fails. */
  fallback: Analyzer;
  metrics: Pick<Metrics, 'analysisFallbacks'>;
  logger: Logger;
}

/**
 * Picks each tenant's analyzer: its LLM endpoint when it configured one, the embedded analyzer otherwise.
 * A lead is never held up by the LLM: any failure (timeout, HTTP error, invalid reply, unreachable
 * endpoint, unreadable key) is counted and logged, and the embedded analyzer answers instead.
 */
export class TenantAnalyzer implements Analyzer {
  readonly name = 'tenant';

  constructor(private readonly deps: TenantAnalyzerDeps) {}

  async analyze(call: RawCall, tenant: TenantConfig): Promise<AiAnalysis> {
    if (!tenant.analysis.llm) return this.deps.fallback.analyze(call, tenant);
    try {
      return await this.deps.llm.analyze(call, tenant);
    } catch (error) {
      const reason = llmFailureReasonOf(error);
      const failure = toLeadstreamError(error);
      this.deps.metrics.analysisFallbacks.inc({ reason });
      this.deps.logger.warn(
        {
          tenant_id: call.tenant_id,
          call_id: call.call_id,
          workflow_step: 'analysis',
          status: 'fallback',
          error_type: failure.type,
          fallback_reason: reason,
          error_message: failure.message,
        },
        `LLM analysis failed (${reason}): the ${this.deps.fallback.name} analyzer answered`,
      );
      return this.deps.fallback.analyze(call, tenant);
    }
  }
}

/**
 * The enricher's analyzer when none is given: per tenant, as TenantAnalyzer says, the embedded one on
 * `workers` threads (ANALYSIS_WORKERS; 0: in the calling thread), whose close is handed to `onClose`.
 */
export function defaultAnalyzer(deps: {
  secrets: SecretResolver;
  metrics: Pick<Metrics, 'analysisFallbacks'>;
  logger: Logger;
  outbound: OutboundGuard;
  workers: number;
  onClose: (close: () => Promise<void>) => void;
}): Analyzer {
  let embedded: Analyzer = new EmbeddedAnalyzer();
  if (deps.workers > 0) {
    const pool = new WorkerPoolAnalyzer({ size: deps.workers });
    deps.onClose(() => pool.close());
    embedded = pool;
  }
  return new TenantAnalyzer({
    llm: new LlmAnalyzer(deps.secrets, deps.outbound),
    fallback: embedded,
    metrics: deps.metrics,
    logger: deps.logger,
  });
}
