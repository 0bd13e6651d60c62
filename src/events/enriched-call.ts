import type { AiAnalysis } from './ai-analysis.js';
import type { RawCall } from './raw-call.js';

/** TypeScript view of schemas/avro/EnrichedCall.avsc. */
export interface EnrichedCall {
  call: RawCall;
  ai_analysis: AiAnalysis;
  /** epoch milliseconds UTC */
  enriched_at: number;
}
