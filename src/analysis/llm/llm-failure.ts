import { LeadstreamError } from '../../errors/leadstream-error.js';

/**
 * Why an LLM analysis failed, the `reason` label of `leadstream_analysis_fallbacks_total`: the endpoint
 * was too slow, answered with an HTTP error, answered something that is not a valid analysis, could not
 * be reached, or its key could not be read.
 */
const LLM_FAILURE_REASONS = ['timeout', 'http_error', 'invalid_reply', 'network', 'secret'] as const;
export type LlmFailureReason = (typeof LLM_FAILURE_REASONS)[number];

export function llmFailure(
  reason: LlmFailureReason,
  message: string,
  options: { cause?: unknown; details?: Record<string, string | number> } = {},
): LeadstreamError {
  return new LeadstreamError('analysis_error', message, {
    cause: options.cause,
    details: { ...options.details, llm_failure: reason },
  });
}

/** The reason an error from the LLM analyzer carries; a failure it did not classify is a network one. */
export function llmFailureReasonOf(error: unknown): LlmFailureReason {
  if (error instanceof LeadstreamError) {
    const reason = error.details.llm_failure;
    if ((LLM_FAILURE_REASONS as readonly unknown[]).includes(reason)) return reason as LlmFailureReason;
    if (error.type === 'secret_error') return 'secret';
  }
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  return 'network';
}
