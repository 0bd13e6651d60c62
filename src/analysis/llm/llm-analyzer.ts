import type { TenantConfig } from '../../config/tenants/tenant-config.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { AiAnalysis } from '../../events/ai-analysis.js';
import type { RawCall } from '../../events/raw-call.js';
import type { OutboundGuard } from '../../outbound/outbound-guard.js';
import type { SecretResolver } from '../../secrets/secret-resolver.js';
import type { Analyzer } from '../analyzer.js';
import { scoreLead } from '../lead-score.js';
import { analysisMessages } from './analysis-prompt.js';
import { type AnalysisReply, analysisReplySchema, reasonsOf, replyJsonSchema } from './analysis-reply.js';
import { completeStructuredChat } from './chat-completions-client.js';
import type { LlmConfig } from './llm-config.js';
import { llmFailure } from './llm-failure.js';

function parseReply(content: string, tenant: TenantConfig): AnalysisReply {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw llmFailure('invalid_reply', 'the reply is not JSON', { cause: error });
  }
  const reply = analysisReplySchema(tenant).safeParse(parsed);
  if (!reply.success) {
    // The paths and codes say what was wrong; the values, which may quote the call, stay out.
    const problems = reply.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`);
    throw llmFailure('invalid_reply', `the reply does not match the schema (${problems.join('; ')})`);
  }
  return reply.data;
}

/**
 * Analysis by a tenant's OpenAI-compatible chat-completions endpoint (`analysis.llm`), asked for a
 * JSON-schema-constrained reply which is then validated. The model judges the fields; the lead score is
 * computed from them by the same formula as the embedded analyzer's, so scores stay comparable.
 * Failures are `analysis_error`s naming their reason (llm-failure.ts); falling back is the caller's job.
 */
export class LlmAnalyzer implements Analyzer {
  readonly name = 'llm';

  constructor(
    private readonly secrets: SecretResolver,
    private readonly outbound: OutboundGuard,
  ) {}

  async analyze(call: RawCall, tenant: TenantConfig): Promise<AiAnalysis> {
    const config = tenant.analysis.llm;
    if (!config)
      throw new LeadstreamError('config_error', `tenant ${tenant.tenant_id} has no analysis.llm block`);
    const content = await completeStructuredChat(
      {
        baseUrl: config.base_url,
        apiKey: await this.keyOf(config),
        timeoutMs: config.timeout_ms,
        outbound: this.outbound,
      },
      {
        model: config.model,
        messages: analysisMessages(call, tenant, config.max_transcript_chars),
        schemaName: 'call_analysis',
        schema: replyJsonSchema(tenant),
      },
    );
    const reply = parseReply(content, tenant);
    const { reasons: _modelReasons, ...fields } = reply;
    const score = scoreLead(call, fields);
    return {
      ...fields,
      lead_score: score.lead_score,
      score_reasons: [...score.score_reasons, ...reasonsOf(reply)],
      analyzer: `llm:${config.model}`,
    };
  }

  private async keyOf(config: LlmConfig): Promise<string | undefined> {
    if (config.api_key === undefined) return undefined;
    try {
      return await this.secrets.resolve(config.api_key);
    } catch (error) {
      const message = error instanceof Error ? error.message : 'unknown error';
      throw llmFailure('secret', `the API key could not be read: ${message}`, { cause: error });
    }
  }
}
