import { z } from 'zod';
import type { TenantConfig } from '../../config/tenants/tenant-config.js';
import { BUDGET_INDICATORS, INTENTS, STANDARD_PROJECT_TYPES, TIMELINES } from '../../events/ai-analysis.js';

/** The scales for these two: the model is not offered `unknown`, it must pick. */
const REPLY_SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
const REPLY_URGENCIES = ['high', 'medium', 'low'] as const;
/** A salesperson reads the reasons beside the score: a few short lines, not an essay. */
export const MAX_REASONS = 5;
const MAX_REASON_CHARS = 200;

/** The project types this tenant's calls may be given: the standard ones and the tenant's own. */
function projectTypesFor(tenant: TenantConfig): [string, ...string[]] {
  const own = (tenant.analysis.project_types ?? []).map((type) => type.name);
  return [...STANDARD_PROJECT_TYPES, ...own];
}

/**
 * What the model must answer, as one zod schema per tenant (its project types are part of the enum):
 * the JSON schema sent as `response_format` is generated from it, and the reply is validated with it, so
 * the two cannot drift apart.
 */
export function analysisReplySchema(tenant: TenantConfig) {
  return z.strictObject({
    intent: z
      .enum(INTENTS)
      .describe('Why the caller got in touch; existing_customer is service on past work, not a new lead'),
    project_type: z.enum(projectTypesFor(tenant)).describe('The work the caller wants done'),
    timeline: z.enum(TIMELINES).describe('When the caller wants the work to start'),
    budget_indicator: z
      .enum(BUDGET_INDICATORS)
      .describe('The budget the caller states (a question about price is not a budget)'),
    sentiment: z.enum(REPLY_SENTIMENTS).describe("The caller's tone"),
    urgency: z.enum(REPLY_URGENCIES).describe('How soon the business should call back'),
    reasons: z
      .array(z.string())
      .describe(
        `At most ${MAX_REASONS} short phrases, each quoting or naming what in the call decided a field`,
      ),
  });
}

export type AnalysisReply = z.infer<ReturnType<typeof analysisReplySchema>>;

/** The `response_format.json_schema.schema` of a chat-completions request, for strict structured output. */
export function replyJsonSchema(tenant: TenantConfig): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(analysisReplySchema(tenant), { target: 'draft-7' });
  return schema;
}

/** The model's reasons as score reasons: trimmed, at most a few, each marked as the model's. */
export function reasonsOf(reply: AnalysisReply): string[] {
  return reply.reasons
    .map((reason) => reason.trim())
    .filter((reason) => reason.length > 0)
    .slice(0, MAX_REASONS)
    .map((reason) => `llm: ${reason.slice(0, MAX_REASON_CHARS)}`);
}
