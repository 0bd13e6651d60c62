import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTenantFile } from '../../../src/config/tenants/directory-tenant-source.js';

/** What `tenants validate` knows for sure about an expression before any call is seen. */
function errorsOf(formula: string): string[] {
  const { issues } = parseTenantFile(
    't.json',
    JSON.stringify({
      tenant_id: 't',
      crm_config: {
        type: 'hubspot',
        api_token: 'secret:x',
        field_mappings: { due: { type: 'computed', formula } },
        value_maps: { prices: { kitchen: 25000 }, labels: { kitchen: 'Kitchen' } },
      },
    }),
  );
  return issues.map((issue) => `${issue.path}: ${issue.message}`);
}

const at = 'crm_config.field_mappings.due.formula';

describe('static checks of expressions', () => {
  it('refuses arithmetic on a date, with the JSON path', () => {
    expect(errorsOf('today() - 1')).toEqual([
      `${at}: expression "today() - 1": - on a date: a date is text; use addDays(date, days)`,
    ]);
    expect(errorsOf('today() + 7')).toEqual([
      `${at}: expression "today() + 7": + on a date: a date is text; use addDays(date, days)`,
    ]);
    expect(errorsOf('call_details.start_time * 2')[0]).toMatch(/\* on a date/);
    expect(errorsOf('-addDays(today(), 1)')[0]).toMatch(/unary - on a date/);
  });

  it('refuses arithmetic on text, booleans and null whatever the call', () => {
    expect(errorsOf('customer_city * 2')).toEqual([
      `${at}: expression "customer_city * 2": * expected numbers, got string`,
    ]);
    expect(errorsOf('call_details.answered / 2')[0]).toMatch(/\/ expected numbers, got boolean$/);
    expect(errorsOf('labels[ai_analysis.project_type] - 1')[0]).toMatch(/got string$/);
    expect(errorsOf('ai_analysis.lead_score + true')[0]).toMatch(/cannot add number and boolean$/);
    expect(errorsOf('null * 2')[0]).toMatch(/got null$/);
  });

  it('refuses a date function given an argument of a type it never takes', () => {
    expect(errorsOf('addDays(ai_analysis.lead_score, 1)')).toEqual([
      `${at}: expression "addDays(ai_analysis.lead_score, 1)": addDays() argument 1 is a number, which it never accepts (expected string or date)`,
    ]);
    expect(errorsOf("addDays(today(), 'tomorrow')")[0]).toMatch(
      /addDays\(\) argument 2 is a string, which it never accepts \(expected number\)$/,
    );
    expect(errorsOf('addDays(today(), today())')[0]).toMatch(/argument 2 is a date/);
    expect(errorsOf('addDays(call_details.answered, 1)')[0]).toMatch(/argument 1 is a boolean/);
    expect(errorsOf('round(customer_city)')[0]).toMatch(/round\(\) argument 1 is a string/);
    expect(errorsOf('lower(ai_analysis.lead_score)')[0]).toMatch(/lower\(\) argument 1 is a number/);
  });

  it('refuses a number literal too large to be a number', () => {
    expect(errorsOf('ai_analysis.lead_score * 1e999')).toEqual([
      `${at}: expression "ai_analysis.lead_score * 1e999": 1e999 is beyond the largest number`,
    ]);
  });

  it('refuses a wrong number of arguments and an unknown function', () => {
    expect(errorsOf('addDays(today())')).toEqual([
      `${at}: expression "addDays(today())": addDays() takes 2 arguments, got 1`,
    ]);
    expect(errorsOf('addMonths(today(), 1)')[0]).toMatch(/: unknown function addMonths/);
  });

  it('accepts what may be right for some call', () => {
    for (const formula of [
      'addDays(form_fields.move_in_date, 7)',
      'addDays(call_details.start_time, 1)',
      'addDays(today(), call_details.duration * 1000)',
      'addDays(today(), prices[ai_analysis.project_type] || 7)',
      "today() + 'T09:00:00Z'",
      "concat('due ', addDays(today(), 1))",
      'coalesce(customer_city, ai_analysis.lead_score) * 2',
      'prices[ai_analysis.project_type] * 1.1',
      'upper(addDays(today(), 1))',
      'ai_analysis.lead_score + call_details.duration',
      "customer_city + ', ' + customer_state",
      "-(ai_analysis.timeline == 'immediate' ? 1 : 7)",
    ]) {
      expect(errorsOf(formula), formula).toEqual([]);
    }
  });

  it("accepts every formula and condition of the setup guide's blocks", () => {
    const directory = new URL('../../fixtures/guide/', import.meta.url);
    for (const name of readdirSync(directory).filter((file) => file !== 'enriched-call.json')) {
      const fixture = JSON.parse(readFileSync(new URL(name, directory), 'utf8')) as { crm_config: unknown };
      const { issues } = parseTenantFile(
        name,
        JSON.stringify({ tenant_id: 't', crm_config: fixture.crm_config }),
      );
      expect(issues, name).toEqual([]);
    }
  });
});
