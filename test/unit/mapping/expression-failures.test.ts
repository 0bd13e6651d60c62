import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DirectoryTenantSource,
  parseTenantFile,
} from '../../../src/config/tenants/directory-tenant-source.js';
import type { TenantConfig } from '../../../src/config/tenants/tenant-config.js';
import { mapperStage } from '../../../src/consumers/mapper.js';
import { LeadstreamError, toLeadstreamError } from '../../../src/errors/leadstream-error.js';
import type { EnrichedCall } from '../../../src/events/enriched-call.js';
import { AvroSerde } from '../../../src/kafka/avro-serde.js';
import { nextRetryDelay } from '../../../src/kafka/retry-policy.js';
import { buildCrmCommand } from '../../../src/mapping/build-command.js';
import { compileExpression } from '../../../src/mapping/expressions/compile-expression.js';
import { buildMappingView, isMappingPath } from '../../../src/mapping/mapping-view.js';
import { fixedClock } from '../../../src/time/clock.js';

/** Mapping-time failures of expressions: each a field_mapping_error naming the expression, never a raw throw. */
const base = JSON.parse(
  readFileSync(new URL('../../fixtures/guide/enriched-call.json', import.meta.url), 'utf8'),
) as EnrichedCall;
const callLasting = (seconds: number): EnrichedCall => ({
  ...base,
  call: { ...base.call, duration_seconds: seconds },
});
const clock = fixedClock('2026-11-25T17:20:00Z');
const env = { isKnownPath: isMappingPath, maps: { big: { x: 1e308 } } };
const evaluate = (source: string, event = base, at = clock) =>
  compileExpression(source, env).evaluate({ view: buildMappingView(event), clock: at });

function failure(run: () => unknown): LeadstreamError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LeadstreamError);
    return error as LeadstreamError;
  }
  throw new Error('expected a failure');
}

function tenantWith(fieldMappings: Record<string, unknown>): TenantConfig {
  const { config, issues } = parseTenantFile(
    't.json',
    JSON.stringify({
      tenant_id: 'tenant_TENANT_ID',
      crm_config: { type: 'hubspot', api_token: 'secret:x', field_mappings: fieldMappings },
    }),
  );
  expect(issues).toEqual([]);
  if (!config) throw new Error('no config');
  return config;
}

const DUE = 'addDays(today(), call_details.duration*1000)';

describe('an expression that cannot give a value at mapping time', () => {
  it('fails addDays() past the calendar as a field_mapping_error naming the expression and the function', () => {
    // An hour-long call makes year 11883, which toISOString() wrote as "+011883-..."; 200,000 seconds
    // passed Date's range and threw a bare RangeError ("Invalid time value").
    for (const seconds of [3_600, 200_000]) {
      const error = failure(() => evaluate(DUE, callLasting(seconds)));
      expect(error.type).toBe('field_mapping_error');
      expect(error.message).toBe(`expression "${DUE}": addDays() gave a date outside the years 0000-9999`);
    }
    expect(evaluate(DUE, callLasting(2))).toBe('2032-05-17');
  });

  it('names the configured field when the mapper fails on it', () => {
    const tenant = tenantWith({ follow_up_date: { type: 'computed', formula: DUE } });
    const error = failure(() => buildCrmCommand(callLasting(200_000), tenant, clock));
    expect(error).toMatchObject({
      type: 'field_mapping_error',
      retryable: false,
      details: { config_path: 'crm_config.field_mappings.follow_up_date' },
    });
    expect(error.message).toBe(
      `crm_config.field_mappings.follow_up_date: expression "${DUE}": addDays() gave a date outside the years 0000-9999`,
    );
  });

  it('is dead-lettered by the mapper stage as field_mapping_error, at once, not retried or an internal_error', async () => {
    const tenant = tenantWith({ follow_up_date: `computed:${DUE}` });
    const stage = mapperStage({
      serde: new AvroSerde({ url: 'http://127.0.0.1:9' }),
      tenants: DirectoryTenantSource.fromConfigs([tenant]),
      clock,
      topics: { input: 'enriched-calls', output: 'crm-commands' },
    });
    const thrown = await stage.handle(callLasting(200_000)).then(
      () => undefined,
      (error: unknown) => error,
    );
    const error = toLeadstreamError(thrown);
    expect(error.type).toBe('field_mapping_error');
    expect(error.message).toContain(DUE);
    expect(nextRetryDelay(error, 1, { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 10 })).toBeUndefined();
  });

  it('refuses Infinity and NaN instead of writing them as numbers (JSON would write null)', () => {
    for (const source of [
      'call_details.duration * 1e308',
      "big['x'] + big['x']",
      "big['x'] - -big['x']",
      'call_details.duration / 1e-320',
    ]) {
      const error = failure(() => evaluate(source));
      expect(error.type, source).toBe('field_mapping_error');
      expect(error.message, source).toMatch(/gave (-)?Infinity, not a finite number$/);
      expect(error.message, source).toContain(`expression "${source}"`);
    }
  });

  it('fails today() and now() on a clock outside the calendar instead of throwing a RangeError', () => {
    const broken = fixedClock(new Date(8.64e15));
    for (const [source, name] of [
      ['today()', 'today'],
      ['now()', 'now'],
      ['addDays(today(), 1)', 'today'],
    ] as const) {
      const error = failure(() => evaluate(source, base, broken));
      expect(error.type).toBe('field_mapping_error');
      expect(error.message).toBe(`expression "${source}": ${name}() gave a date outside the years 0000-9999`);
    }
  });

  it('takes only ISO dates and times as dates, not what Date.parse reads loosely', () => {
    for (const said of ['March 7, 2026', '2026-02-30', '1']) {
      const event = { ...base, call: { ...base.call, form_fields: { move_in: said } } };
      expect(failure(() => evaluate('addDays(form_fields.move_in, 7)', event)).message, said).toBe(
        'expression "addDays(form_fields.move_in, 7)": addDays() expected a date (YYYY-MM-DD or an ISO time), got string',
      );
    }
    const event = { ...base, call: { ...base.call, form_fields: { move_in: '2027-03-15' } } };
    expect(evaluate('addDays(form_fields.move_in, 7)', event)).toBe('2027-03-22');
  });

  it('reads a call whose start time no Date can hold as having none, instead of throwing a RangeError', () => {
    const late = { ...base, call: { ...base.call, start_time: 8.64e15 + 1 } };
    expect(evaluate('call_details.start_time', late)).toBeNull();
    expect(evaluate('call_details.duration', late)).toBe(180);
  });

  it('names the function that refused its argument', () => {
    expect(failure(() => evaluate('addDays(coalesce(customer_email, customer_city), 1)')).message).toBe(
      'expression "addDays(coalesce(customer_email, customer_city), 1)": addDays() expected a date (YYYY-MM-DD or an ISO time), got string',
    );
    expect(failure(() => evaluate('round(coalesce(customer_city, ai_analysis.lead_score))')).message).toBe(
      'expression "round(coalesce(customer_city, ai_analysis.lead_score))": round() expected number, got string',
    );
  });
});
