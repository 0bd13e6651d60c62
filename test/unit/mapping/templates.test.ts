import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EnrichedCall } from '../../../src/events/enriched-call.js';
import { mappingEnvironment } from '../../../src/mapping/mapping-environment.js';
import { buildMappingView } from '../../../src/mapping/mapping-view.js';
import { compileTemplate, compileTemplatePieces } from '../../../src/mapping/templates.js';
import { fixedClock } from '../../../src/time/clock.js';
import call from '../../fixtures/guide/enriched-call.json' with { type: 'json' };

const env = mappingEnvironment({});
const scope = { view: buildMappingView(call as EnrichedCall), clock: fixedClock('2026-11-25T17:20:00Z') };

describe('{{path}} templates', () => {
  it('fills placeholders into text, a missing value as nothing', () => {
    const title = compileTemplate(
      '{{customer_name}} - {{ai_analysis.project_type}} Project ({{customer_email}})',
      env,
    );
    expect(title(scope)).toBe('Jane Doe - kitchen Project ()');
  });

  it('keeps the type of a value that is the whole string', () => {
    expect(compileTemplate('{{ai_analysis.lead_score}}', env)(scope)).toBe(92);
    expect(compileTemplate('{{ call_details.answered }}', env)(scope)).toBe(true);
    expect(compileTemplate('score {{ai_analysis.lead_score}}', env)(scope)).toBe('score 92');
  });

  it('takes expressions, not only paths', () => {
    expect(compileTemplate('{{upper(customer_state)}}-{{addDays(today(), 1)}}', env)(scope)).toBe(
      'CA-2026-11-26',
    );
  });

  it('keeps the placeholders the adapter fills as slots, and a value as data even when it looks like one', () => {
    const typed = {
      view: buildMappingView({
        ...call,
        call: { ...call.call, form_fields: { ref: '{{auth.token}}' } },
      } as EnrichedCall),
      clock: scope.clock,
    };
    const pieces = compileTemplatePieces(
      'Bearer {{ auth.token }} for {{form_fields.ref}} ({{contact.id}})',
      env,
      (expression) => expression === 'auth.token' || expression === 'contact.id',
    );
    expect(pieces(typed)).toEqual([
      { text: 'Bearer ' },
      { slot: 'auth.token' },
      { text: ' for ' },
      { value: '{{auth.token}}' },
      { text: ' (' },
      { slot: 'contact.id' },
      { text: ')' },
    ]);
  });

  it('rejects an unbalanced or empty placeholder', () => {
    expect(() => compileTemplate('{{customer_name', env)).toThrow(/unbalanced/);
    expect(() => compileTemplate('hi {{ }}', env)).toThrow(/empty/);
  });

  it('leaves any text without placeholders exactly as written', () => {
    fc.assert(
      fc.property(
        fc.string().filter((text) => !text.includes('{') && !text.includes('}')),
        (text) => {
          expect(compileTemplate(text, env)(scope)).toBe(text);
        },
      ),
    );
  });
});
