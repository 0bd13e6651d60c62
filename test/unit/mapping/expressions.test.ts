import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import type { EnrichedCall } from '../../../src/events/enriched-call.js';
import {
  compileExpression,
  type ExpressionEnvironment,
} from '../../../src/mapping/expressions/compile-expression.js';
import { buildMappingView, isMappingPath } from '../../../src/mapping/mapping-view.js';
import { fixedClock } from '../../../src/time/clock.js';

const env: ExpressionEnvironment = {
  isKnownPath: isMappingPath,
  maps: { project_value_map: { kitchen: 25000, bathroom: 15000, whole_home: 100000, addition: 50000 } },
};

function event(
  analysis: Partial<EnrichedCall['ai_analysis']> = {},
  call: Partial<EnrichedCall['call']> = {},
): EnrichedCall {
  return {
    call: {
      call_id: 'CAL1',
      tenant_id: 't',
      source_kind: 'callrail_call',
      source_name: null,
      callrail_event: null,
      callrail_company_id: null,
      customer_phone: '+15551234567',
      customer_name: 'Jane Doe',
      customer_email: null,
      customer_city: 'Los Angeles',
      customer_state: 'CA',
      duration_seconds: 180,
      answered: true,
      voicemail: null,
      recording_url: null,
      transcription: null,
      source: 'Google Ads',
      tracking_number: null,
      start_time: null,
      form_fields: { budget: '40k' },
      marketing: {},
      received_at: 0,
      ...call,
    },
    ai_analysis: {
      intent: 'quote_request',
      project_type: 'kitchen',
      timeline: 'immediate',
      budget_indicator: 'high',
      sentiment: 'positive',
      urgency: 'high',
      lead_score: 85,
      score_reasons: [],
      analyzer: 'test',
      ...analysis,
    },
    enriched_at: 0,
  };
}

const clock = fixedClock('2026-11-25T17:20:00Z');
const run = (source: string, e = event()) =>
  compileExpression(source, env).evaluate({ view: buildMappingView(e), clock });

describe('the expression language', () => {
  it("evaluates the guide's workflow conditions", () => {
    expect(run('ai_analysis.lead_score > 80')).toBe(true);
    expect(run('ai_analysis.lead_score > 80', event({ lead_score: 80 }))).toBe(false);
    expect(run("ai_analysis.timeline == 'immediate'")).toBe(true);
    expect(run("ai_analysis.timeline == 'immediate'", event({ timeline: '1-3_months' }))).toBe(false);
  });

  it("evaluates the guide's computed fields", () => {
    expect(run('project_value_map[ai_analysis.project_type] || 20000')).toBe(25000);
    expect(
      run('project_value_map[ai_analysis.project_type] || 20000', event({ project_type: 'roofing' })),
    ).toBe(20000);
    expect(run("addDays(today(), ai_analysis.timeline == 'immediate' ? 1 : 7)")).toBe('2026-11-26');
    expect(
      run("addDays(today(), ai_analysis.timeline == 'immediate' ? 1 : 7)", event({ timeline: 'unknown' })),
    ).toBe('2026-12-02');
  });

  it('has string helpers, coalesce and arithmetic', () => {
    expect(run("concat(upper(customer_state), '-', lower(customer_city))")).toBe('CA-los angeles');
    expect(run("coalesce(customer_email, customer_phone, 'none')")).toBe('+15551234567');
    expect(run('call_details.duration / 60')).toBe(3);
    expect(run('form_fields.budget')).toBe('40k');
    expect(run('!call_details.answered || ai_analysis.lead_score >= 85 && true')).toBe(true);
  });

  it('compares strictly: "80" is not 80, and a missing value is never greater', () => {
    expect(run("ai_analysis.lead_score == '85'")).toBe(false);
    expect(run('customer_email > 3')).toBe(false);
  });

  it('rejects unknown names and functions when the configuration is loaded', () => {
    const bad = ['ai_analysis.leadscore > 80', 'process.exit()', 'eval("1")', 'unknown_map[x]', 'today(1)'];
    for (const source of bad) {
      expect(() => compileExpression(source, env), source).toThrowError(
        expect.objectContaining({ type: 'config_error' }) as LeadstreamError,
      );
    }
    expect(() => compileExpression('ai_analysis.lead_score >', env)).toThrow(
      /expression "ai_analysis.lead_score >"/,
    );
  });

  it('cannot reach prototypes, constructors or globals', () => {
    for (const source of [
      'constructor',
      'ai_analysis.constructor',
      'customer_name.__proto__',
      "project_value_map['__proto__']",
    ]) {
      let value: unknown;
      try {
        value = run(source);
      } catch (error) {
        expect(error).toBeInstanceOf(LeadstreamError);
        continue;
      }
      expect(value).toBeNull();
    }
  });

  it('reports arithmetic on the wrong type as a field mapping error', () => {
    // Text and a number: the type is known only once the call is seen.
    expect(() => run('coalesce(customer_city, ai_analysis.lead_score) * 2')).toThrowError(
      expect.objectContaining({ type: 'field_mapping_error' }) as LeadstreamError,
    );
  });

  it('names what addDays() got without quoting the caller’s words into logs and dead letters', () => {
    const said = event({}, { customer_city: 'the Henderson house on Elm Street' });
    expect(() => run('addDays(customer_city, 1)', said)).toThrowError(
      expect.objectContaining({
        type: 'field_mapping_error',
        message: expect.not.stringContaining('Henderson') as string,
      }) as LeadstreamError,
    );
    expect(() => run('addDays(customer_city, 1)', said)).toThrow(/addDays\(\) expected a date .*got string/);
  });

  it('never escapes the allow-list, and fails only with typed errors, on random input', () => {
    const atoms = fc.constantFrom(
      'ai_analysis.lead_score',
      'customer_name',
      "'kitchen'",
      '3',
      'null',
      'today()',
      'project_value_map[ai_analysis.project_type]',
      'constructor',
      'globalThis',
      '__proto__',
      'x.y',
    );
    const ops = fc.constantFrom(
      ' + ',
      ' - ',
      ' * ',
      ' / ',
      ' == ',
      ' > ',
      ' || ',
      ' && ',
      ' ? 1 : ',
      '(',
      ')',
      '[',
      ']',
      '.',
      ',',
    );
    const source = fc
      .array(fc.oneof(atoms, ops, fc.string({ maxLength: 4 })), { maxLength: 12 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(source, fc.integer({ min: 0, max: 100 }), fc.string(), (text, score, name) => {
        try {
          const value = compileExpression(text, env).evaluate({
            view: buildMappingView(event({ lead_score: score }, { customer_name: name })),
            clock,
          });
          expect(value === null || ['string', 'number', 'boolean'].includes(typeof value)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(LeadstreamError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
