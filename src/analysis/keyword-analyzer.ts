import type { AiAnalysis, ProjectType, Timeline } from '../events/ai-analysis.js';
import type { RawCall } from '../events/raw-call.js';
import type { Analyzer } from './analyzer.js';

const PROJECT_KEYWORDS: ReadonlyArray<[ProjectType, RegExp]> = [
  ['kitchen', /\bkitchen|cabinet|countertop/i],
  ['bathroom', /\bbath(room)?|shower|vanity|tub\b/i],
  ['whole_home', /\bwhole (home|house)|entire (home|house)/i],
  ['addition', /\baddition|add a room|extension\b/i],
];

const TIMELINE_KEYWORDS: ReadonlyArray<[Timeline, RegExp]> = [
  ['immediate', /\b(asap|right away|immediately|this week|urgent)/i],
  ['1-3_months', /\b(next month|couple of months|few weeks)/i],
  ['3-6_months', /\b(this summer|six months|half a year)/i],
  ['6+_months', /\b(next year|no rush)/i],
];

function firstMatch<T>(text: string, table: ReadonlyArray<[T, RegExp]>): T | undefined {
  return table.find(([, pattern]) => pattern.test(text))?.[0];
}

/**
 * A minimal keyword analyzer so the pipeline runs end to end; the real embedded analyzer with its
 * lexicon, negation handling and evaluation set is issue #5.
 */
export class KeywordAnalyzer implements Analyzer {
  readonly name = 'keyword';

  async analyze(call: RawCall): Promise<AiAnalysis> {
    const text = [call.transcription, ...Object.values(call.form_fields)].filter(Boolean).join(' ');
    const projectType = firstMatch(text, PROJECT_KEYWORDS) ?? 'unknown';
    const timeline = firstMatch(text, TIMELINE_KEYWORDS) ?? 'unknown';
    const reasons: string[] = [];
    let score = 20;
    if (call.answered) {
      score += 20;
      reasons.push('call was answered');
    }
    if ((call.duration_seconds ?? 0) >= 60) {
      score += 20;
      reasons.push('call lasted at least a minute');
    }
    if (projectType !== 'unknown') {
      score += 20;
      reasons.push(`project type ${projectType} mentioned`);
    }
    if (timeline === 'immediate') {
      score += 20;
      reasons.push('customer wants to start immediately');
    }
    return {
      intent: projectType === 'unknown' ? 'unknown' : 'quote_request',
      project_type: projectType,
      timeline,
      budget_indicator: 'unknown',
      sentiment: 'neutral',
      urgency: timeline === 'immediate' ? 'high' : 'medium',
      lead_score: Math.min(100, score),
      score_reasons: reasons,
      analyzer: this.name,
    };
  }
}
