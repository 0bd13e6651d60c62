import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_LIMITS } from '../../../src/config/json-limits.js';
import {
  DirectoryTenantSource,
  parseTenantFile,
  type TenantFileResult,
  validateTenantFile,
} from '../../../src/config/tenants/directory-tenant-source.js';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import type { CrmCommand } from '../../../src/events/crm-command.js';
import type { EnrichedCall } from '../../../src/events/enriched-call.js';
import { buildCrmCommand } from '../../../src/mapping/build-command.js';
import { compileExpression } from '../../../src/mapping/expressions/compile-expression.js';
import { buildMappingView, isMappingPath } from '../../../src/mapping/mapping-view.js';
import { OutboundPolicy } from '../../../src/outbound/outbound-policy.js';
import { fixedClock } from '../../../src/time/clock.js';
import { guideEnrichedCall } from '../../support/guide-fixtures.js';

/**
 * The tenant-configuration entry points (`tenants validate`, the loader at start) and the expression
 * compiler on hostile input: any document answers with a TenantConfig or with issues at JSON paths,
 * within a bounded time, and nothing throws but a LeadstreamError. Seeded, so a failure reproduces.
 */
const SEED = 1010;
/** One input's budget: the slowest real configuration validates in milliseconds. */
const MAX_MS_PER_INPUT = 2_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const GUIDE = new URL('../../fixtures/guide/', import.meta.url);
const guideTenants: Json[] = readdirSync(GUIDE)
  .filter((name) => name.endsWith('.json') && name !== 'enriched-call.json')
  .map((name) => {
    const fixture = JSON.parse(readFileSync(new URL(name, GUIDE), 'utf8')) as { crm_config: Json };
    return { tenant_id: 'tenant_fuzz', crm_config: fixture.crm_config };
  });
const call = guideEnrichedCall();
const clock = fixedClock('2026-11-25T17:20:00Z');

function timed<T>(run: () => T): T {
  const started = performance.now();
  const result = run();
  expect(performance.now() - started).toBeLessThan(MAX_MS_PER_INPUT);
  return result;
}

/** A valid configuration that maps, or issues that each name a path and a problem. */
function expectAnswer(result: TenantFileResult): void {
  for (const issue of [...result.issues, ...result.warnings]) {
    expect(typeof issue.path).toBe('string');
    expect(issue.path.length).toBeGreaterThan(0);
    expect(issue.message.length).toBeGreaterThan(0);
  }
  if (result.config === undefined) {
    expect(result.issues.length).toBeGreaterThan(0);
    return;
  }
  expect(result.issues).toEqual([]);
  // What validates must also map, or fail the call as a typed mapping error.
  let command: CrmCommand;
  try {
    command = buildCrmCommand(call, result.config, clock);
  } catch (error) {
    expect(error).toBeInstanceOf(LeadstreamError);
    expect((error as LeadstreamError).type).toBe('field_mapping_error');
    return;
  }
  for (const operation of command.operations) {
    // No date no CRM reads: an invalid one, or a six-digit year.
    expect(operation.payload_json).not.toMatch(/Invalid Date|(?<!\d)[+-]\d{6}-\d{2}-\d{2}/);
  }
}

function check(text: string): void {
  let result: TenantFileResult | undefined;
  try {
    result = timed(() => parseTenantFile('fuzz.json', text));
  } catch (error) {
    throw new Error(`parseTenantFile threw on ${JSON.stringify(text.slice(0, 300))}: ${String(error)}`);
  }
  expectAnswer(result);
}

/** Raw JSON text spliced in where the document had a marker: nesting no JSON.stringify could write. */
const MARKER = '\u0000fuzz-raw\u0000';

const deepArrays = fc.integer({ min: 20, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`);
const deepObjects = fc
  .integer({ min: 20, max: 20_000 })
  .map((n) => `${'{"a":'.repeat(n)}"{{call_id}}"${'}'.repeat(n)}`);
const deepMixed = fc.integer({ min: 20, max: 10_000 }).map((n) => `${'[{"k":'.repeat(n)}1${'}]'.repeat(n)}`);
const manyKeys = fc
  .integer({ min: 50, max: JSON_LIMITS.maxEntries + 2_000 })
  .map((n) => `{${Array.from({ length: n }, (_, i) => `"k${i}":"{{call_id}}"`).join(',')}}`);
const manyItems = fc
  .integer({ min: 50, max: JSON_LIMITS.maxEntries + 2_000 })
  .map((n) => `[${Array.from({ length: n }, () => '0').join(',')}]`);
const hugeString = fc
  .integer({ min: 1_000, max: JSON_LIMITS.maxStringLength + 1_000 })
  .chain((n) => fc.constantFrom('x', '{{call_id}} ', 'é', '\u{1F600}').map((unit) => unit.repeat(n)))
  .map((text) => JSON.stringify(text));
const rawText = fc.oneof(deepArrays, deepObjects, deepMixed, manyKeys, manyItems, hugeString);

const templateText = fc
  .array(
    fc.oneof(
      fc.integer({ min: 1, max: 3_000 }).map((n) => ' '.repeat(n)),
      fc.constantFrom(
        '{{',
        '}}',
        '{',
        '}',
        ' ',
        'call_id',
        'customer_name',
        'ai_analysis.lead_score',
        'auth.token',
        'contact.id',
        '{{call_id}}',
        '{{ {{call_id}} }}',
        '{{{{call_id}}}}',
        '{{}}',
        '{{addDays(today(), call_details.duration*1000)}}',
        '{{constructor}}',
        '{{__proto__}}',
      ),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));
const expressionAtoms = fc.constantFrom(
  'ai_analysis.lead_score',
  'call_details.duration',
  'call_details.start_time',
  'customer_city',
  'form_fields.budget',
  "'kitchen'",
  '1e308',
  '1e999',
  '-0',
  '0.5',
  'null',
  'true',
  'today()',
  'now()',
  'project_value_map[ai_analysis.project_type]',
  'constructor',
  '__proto__',
);
const expressionOps = fc.constantFrom(
  ' + ',
  ' - ',
  ' * ',
  ' / ',
  ' % ',
  ' == ',
  ' < ',
  ' || ',
  ' && ',
  ' ? ',
  ' : ',
  '!',
  '-',
  '(',
  ')',
  '[',
  ']',
  ',',
  'addDays(',
  'round(',
  'lower(',
  'concat(',
  'coalesce(',
);
const expressionText = fc.oneof(
  fc.array(fc.oneof(expressionAtoms, expressionOps), { maxLength: 16 }).map((parts) => parts.join('')),
  fc.integer({ min: 1, max: 1_200 }).map((n) => Array(n).fill('call_details.duration').join(' + ')),
  fc.integer({ min: 1, max: 1_200 }).map((n) => `${'('.repeat(n)}1${')'.repeat(n)}`),
  fc.integer({ min: 1, max: 2_100 }).map((n) => `${'-'.repeat(n)}1`),
  fc.integer({ min: 1, max: 300 }).map((n) => `${'addDays(today(), '.repeat(n)}1${')'.repeat(n)}`),
  fc.string({ maxLength: 40 }),
);
const oddText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('\ud800', '\udfff x', '\u202e', '\u200b', '\u0000', 'İ', 'ß', 'ǅ', '\ufeff'),
);
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', ''),
  oddText,
  fc.constantFrom('field_mappings', 'payload_templates', 'value_maps', 'endpoints', 'formula', 'type'),
);
const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(1e308, -1e308, -0, 5e-324, 2 ** 53 + 1, 0, null, true, false, [], {}),
  oddText,
  templateText,
  expressionText.map((text) => `computed:${text}`),
  expressionText.map((formula): Json => ({ type: 'computed', formula })),
  expressionText.map((condition): Json => ({ condition, actions: ['create_task'] })),
  fc.constant(MARKER),
  fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, { maxKeys: 4 }),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

/** Every node of a document, by its path of keys and indexes. */
function nodePaths(value: Json, path: Array<string | number> = []): Array<Array<string | number>> {
  const below =
    value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, item]) =>
          nodePaths(item, [...path, Array.isArray(value) ? Number(key) : key]),
        )
      : [];
  return [path, ...below];
}

interface Mutation {
  at: number;
  key: string;
  value: Json;
  insert: boolean;
}

/** The document with `value` put at the chosen node (or under it, as `key`, when it is an object). */
function mutate(document: Json, mutation: Mutation): Json {
  const paths = nodePaths(document);
  const path = paths[mutation.at % paths.length] ?? [];
  const copy = structuredClone(document);
  if (path.length === 0) return mutation.insert && isObject(copy) ? withKey(copy, mutation) : mutation.value;
  let parent: Json = copy;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string, Json>)[step] ?? null;
  const last = path[path.length - 1] ?? '';
  const target = (parent as Record<string, Json>)[last] ?? null;
  (parent as Record<string, Json>)[last] =
    mutation.insert && isObject(target) ? withKey(target, mutation) : mutation.value;
  return copy;
}

function isObject(value: Json): value is { [key: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Defines the key even when it is `__proto__`, as JSON.parse would. */
function withKey(target: { [key: string]: Json }, mutation: Mutation): Json {
  Object.defineProperty(target, mutation.key, {
    value: mutation.value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return target;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  key: hostileKey,
  value: hostileValue,
  insert: fc.boolean(),
});

/** A guide configuration with one to three hostile changes, as text (raw nesting spliced in). */
const mutatedGuideText = fc
  .tuple(fc.constantFrom(...guideTenants), fc.array(mutation, { minLength: 1, maxLength: 3 }), rawText)
  .map(([tenant, mutations, raw]) => {
    const document = mutations.reduce(mutate, tenant);
    return JSON.stringify(document).split(JSON.stringify(MARKER)).join(raw);
  });

describe('the tenant configuration validator on hostile input', () => {
  it("still accepts the guide's configurations", () => {
    for (const tenant of guideTenants) {
      const result = parseTenantFile('guide.json', JSON.stringify(tenant));
      expect(result.issues).toEqual([]);
      expectAnswer(result);
    }
  });

  it('answers any JSON value with a configuration or issues at JSON paths', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => check(JSON.stringify(value))),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('answers any text, JSON or not', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), rawText), check), {
      seed: SEED,
      numRuns: 100,
    });
  });

  it("answers the guide's configurations with hostile changes: nesting, sizes, keys, numbers, templates, formulas", () => {
    fc.assert(fc.property(mutatedGuideText, check), { seed: SEED, numRuns: 1_500 });
    // 10 s on a 2-core machine running the unit tests, against the 15 s default: room for a slower one.
  }, 120_000);

  it('names the path and the limit of a document too deep, too wide or too long', () => {
    const custom = (body: string) =>
      `{"tenant_id":"t","crm_config":{"type":"custom","api_base_url":"https://crm.example.com","endpoints":{"create_contact":{"method":"POST","path":"/c"}},"payload_templates":{"contact":${body}}}}`;
    const messages = (text: string) =>
      parseTenantFile('t.json', text).issues.map((issue) => `${issue.path}: ${issue.message}`);

    // 5,000 levels overflowed the stack in the payload template schema (a bare RangeError).
    expect(messages(custom(`${'['.repeat(5_000)}${']'.repeat(5_000)}`))).toEqual([
      `crm_config.payload_templates.contact${'[0]'.repeat(29)}: nested deeper than ${JSON_LIMITS.maxDepth} levels`,
    ]);
    expect(messages(custom(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`))).toEqual([
      `crm_config.payload_templates.contact${'.a'.repeat(29)}: nested deeper than ${JSON_LIMITS.maxDepth} levels`,
    ]);
    const wide = `[${Array(JSON_LIMITS.maxEntries + 1)
      .fill(0)
      .join(',')}]`;
    expect(messages(custom(wide))).toEqual([
      `crm_config.payload_templates.contact: ${JSON_LIMITS.maxEntries + 1} items, more than the ${JSON_LIMITS.maxEntries} allowed`,
    ]);
    expect(messages(custom(JSON.stringify('x'.repeat(JSON_LIMITS.maxStringLength + 1))))).toEqual([
      `crm_config.payload_templates.contact: a string of ${JSON_LIMITS.maxStringLength + 1} characters, more than the ${JSON_LIMITS.maxStringLength} allowed`,
    ]);
    expect(messages(' '.repeat(JSON_LIMITS.maxFileBytes + 1))).toEqual([
      `(root): the file has ${JSON_LIMITS.maxFileBytes + 1} bytes, more than the ${JSON_LIMITS.maxFileBytes} allowed`,
    ]);
  });

  it('suggests names for thousands of misspellings, and for very long ones, in bounded time', () => {
    const hubspot = { type: 'hubspot', api_token: 'secret:x' };
    const keys = Object.fromEntries(Array.from({ length: 9_000 }, (_, i) => [`${'k'.repeat(100)}${i}`, 1]));
    const long = 'a'.repeat(JSON_LIMITS.maxStringLength - 1);
    // Before: 22 s and 6 s, the edit distance to every known name computed in full.
    for (const crm_config of [
      { ...hubspot, ...keys },
      { ...hubspot, [long]: 1 },
      { ...hubspot, field_mappings: { a: long } },
    ]) {
      const result = timed(() => parseTenantFile('t.json', JSON.stringify({ tenant_id: 't', crm_config })));
      expect(result.issues.length + result.warnings.length).toBeGreaterThan(0);
    }
    expect(
      parseTenantFile(
        't.json',
        JSON.stringify({ tenant_id: 't', crm_config: { ...hubspot, fiel_mappings: {} } }),
      ).issues,
    ).toEqual([
      {
        path: 'crm_config.fiel_mappings',
        message: 'unknown key "fiel_mappings" (did you mean "field_mappings"?)',
      },
    ]);
  });

  it('reads a template with a long run of spaces and no closing braces in bounded time', () => {
    // Before: `\s*([^{}]*?)\s*` took 11 s over 2,000 spaces, in templates and in custom endpoint paths.
    const spaces = `{{${' '.repeat(5_000)}}x}}`;
    const hubspot = { type: 'hubspot', api_token: 'secret:x', field_mappings: { a: spaces } };
    const custom = {
      type: 'custom',
      api_base_url: 'https://crm.example.com',
      endpoints: {
        create_contact: { method: 'POST', path: `/c/${spaces}` },
        update_contact: { method: 'PUT', path: `/c/${spaces}` },
        find_contact: { method: 'GET', path: `/c?q=${spaces}` },
      },
      payload_templates: { contact: { a: spaces } },
    };
    for (const crm_config of [hubspot, custom]) {
      timed(() => parseTenantFile('t.json', JSON.stringify({ tenant_id: 't', crm_config })));
    }
    const padded = parseTenantFile(
      't.json',
      JSON.stringify({
        tenant_id: 't',
        crm_config: { ...hubspot, field_mappings: { a: '{{  call_id  }}' } },
      }),
    );
    expect(padded.issues).toEqual([]);
  });

  it('shows an empty key in a path as ""', () => {
    const text = `{"tenant_id":"t","":${'['.repeat(40)}${']'.repeat(40)}}`;
    expect(parseTenantFile('t.json', text).issues).toEqual([
      { path: `""${'[0]'.repeat(31)}`, message: `nested deeper than ${JSON_LIMITS.maxDepth} levels` },
    ]);
  });

  it('refuses a __proto__ key, which a parsed schema would silently drop, at its path', () => {
    const text =
      '{"tenant_id":"t","crm_config":{"type":"hubspot","api_token":"x","field_mappings":{"__proto__":"call_id","city":"customer_city"}}}';
    expect(parseTenantFile('t.json', text).issues).toEqual([
      {
        path: 'crm_config.field_mappings.__proto__',
        message:
          'the key "__proto__" is not allowed (JavaScript reads it as the prototype, dropping the value)',
      },
    ]);
  });
});

describe('the tenant loader and tenants validate on hostile files', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'tenant-fuzz-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('refuses a file over the size limit, naming the limit', async () => {
    const file = join(directory, 'large.json');
    await writeFile(file, `{"tenant_id":"${'x'.repeat(JSON_LIMITS.maxFileBytes)}"}`);
    const result = await validateTenantFile(file, OutboundPolicy.strict);
    expect(result.issues).toEqual([
      {
        path: '(root)',
        message: `the file has ${JSON_LIMITS.maxFileBytes + 16} bytes, more than the ${JSON_LIMITS.maxFileBytes} allowed`,
      },
    ]);
  });

  it('lists a file it cannot read among the problems, as a config_error', async () => {
    const dir = join(directory, 'unreadable');
    await mkdir(join(dir, 'tenant.json'), { recursive: true });
    const error = await DirectoryTenantSource.load(dir, OutboundPolicy.strict).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(LeadstreamError);
    expect(error).toMatchObject({ type: 'config_error' });
    expect((error as Error).message).toMatch(/tenant\.json: \(root\): cannot be read: EISDIR/);
  });

  it('load a hostile file into a config_error naming it, and validate it into issues', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutatedGuideText, rawText), async (text) => {
        round += 1;
        const dir = join(directory, `round-${round}`);
        await rm(dir, { recursive: true, force: true });
        await mkdir(dir);
        const file = join(dir, 'tenant.json');
        await writeFile(file, text);
        const validated = await validateTenantFile(file, OutboundPolicy.strict);
        expectAnswer(validated);
        try {
          const source = await DirectoryTenantSource.load(dir, OutboundPolicy.strict);
          expect(validated.issues).toEqual([]);
          expect(source.size).toBe(1);
        } catch (error) {
          expect(error).toBeInstanceOf(LeadstreamError);
          expect(error).toMatchObject({ type: 'config_error' });
          expect((error as Error).message).toContain(`${file}: `);
        }
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});

describe('the expression compiler on hostile input', () => {
  const env = {
    isKnownPath: isMappingPath,
    maps: { project_value_map: { kitchen: 25000, bathroom: 1e308, odd: 'x' } },
  };
  const number = fc.oneof(
    fc.double(),
    fc.integer(),
    fc.constantFrom(1e308, -1e308, 8.64e15, 8.64e15 + 1, 2 ** 53, -0),
  );
  const enrichedCall: fc.Arbitrary<EnrichedCall> = fc
    .record({
      duration: fc.option(number),
      start: fc.option(number),
      received: number,
      score: number,
      project: fc.constantFrom('kitchen', 'bathroom', 'odd', 'roofing', '__proto__', 'constructor'),
      city: fc.option(oddText),
      budget: oddText,
    })
    .map(({ duration, start, received, score, project, city, budget }) => ({
      ...call,
      call: {
        ...call.call,
        duration_seconds: duration,
        start_time: start,
        received_at: received,
        customer_city: city,
        form_fields: { budget },
      },
      ai_analysis: { ...call.ai_analysis, lead_score: score, project_type: project },
    }));

  it('compiles any text or refuses it with a config_error', () => {
    fc.assert(
      fc.property(fc.oneof(expressionText, fc.string({ maxLength: 80 }), templateText), (source) => {
        try {
          timed(() => compileExpression(source, env));
        } catch (error) {
          expect(error).toBeInstanceOf(LeadstreamError);
          expect((error as LeadstreamError).type).toBe('config_error');
        }
      }),
      { seed: SEED, numRuns: 1_500 },
    );
  });

  it('evaluates what compiles to a JSON value or a field_mapping_error naming the expression', () => {
    fc.assert(
      fc.property(expressionText, enrichedCall, number, (source, event, now) => {
        let compiled: ReturnType<typeof compileExpression>;
        try {
          compiled = compileExpression(source, env);
        } catch {
          return;
        }
        try {
          const value = compiled.evaluate({
            view: buildMappingView(event),
            clock: fixedClock(new Date(now)),
          });
          if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
          else expect(value === null || ['string', 'boolean'].includes(typeof value)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(LeadstreamError);
          expect(error).toMatchObject({ type: 'field_mapping_error' });
          expect((error as Error).message).toContain(`expression "${source}"`);
        }
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });
});
