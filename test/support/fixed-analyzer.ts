import type { Analyzer } from '../../src/analysis/analyzer.js';
import type { AiAnalysis } from '../../src/events/ai-analysis.js';

/**
 * The analysis is the analyzer's own concern (issue #5); pipeline tests use this fixed one so every
 * record they check is exact.
 */
export const FIXED_ANALYSIS: AiAnalysis = {
  intent: 'quote_request',
  project_type: 'kitchen',
  timeline: 'immediate',
  budget_indicator: 'high',
  sentiment: 'positive',
  urgency: 'high',
  lead_score: 92,
  score_reasons: ['answered call of 3 minutes', 'wants to start immediately'],
  analyzer: 'fixed',
};

export const fixedAnalyzer: Analyzer = { name: 'fixed', analyze: async () => FIXED_ANALYSIS };
