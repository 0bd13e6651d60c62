import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTenantFile } from '../../../src/config/tenants/directory-tenant-source.js';
import type { EnrichedCall } from '../../../src/events/enriched-call.js';
import { buildCrmCommand } from '../../../src/mapping/build-command.js';
import { fixedClock } from '../../../src/time/clock.js';

/**
 * Every crm_config block of the setup guide, exactly as written there, with a call and the CRM
 * payloads it must produce written out by hand (test/fixtures/guide/*.json).
 */
const DIRECTORY = new URL('../../fixtures/guide/', import.meta.url).pathname;

interface ExpectedCommand {
  crm_type: string;
  duplicate_detection: unknown;
  triggered_workflows: string[];
  operations: Array<Record<string, unknown>>;
}
interface GuideCase {
  name?: string;
  ai_analysis?: Partial<EnrichedCall['ai_analysis']>;
  expected_command: ExpectedCommand;
}
interface GuideFixture {
  guide_section: string;
  now: string;
  crm_config: Record<string, unknown>;
  expected_warnings: string[];
  expected_command?: ExpectedCommand;
  cases?: GuideCase[];
}

const call = JSON.parse(readFileSync(join(DIRECTORY, 'enriched-call.json'), 'utf8')) as EnrichedCall;
const fixtures = readdirSync(DIRECTORY)
  .filter((name) => name.endsWith('.json') && name !== 'enriched-call.json')
  .map((name) => ({
    name,
    fixture: JSON.parse(readFileSync(join(DIRECTORY, name), 'utf8')) as GuideFixture,
  }));

describe.each(fixtures)('the guide block in $name', ({ name, fixture }) => {
  const parsed = parseTenantFile(
    name,
    JSON.stringify({ tenant_id: 'tenant_TENANT_ID', crm_config: fixture.crm_config }),
  );
  const cases: GuideCase[] =
    fixture.cases ?? (fixture.expected_command ? [{ expected_command: fixture.expected_command }] : []);

  it(`is accepted as written (${fixture.guide_section})`, () => {
    expect(parsed.issues).toEqual([]);
    expect(parsed.warnings.map((warning) => warning.path)).toEqual(fixture.expected_warnings);
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('maps the call to the payloads written out by hand $name', (testCase) => {
    const tenant = parsed.config;
    if (!tenant) throw new Error(`${name} was rejected`);
    const event = { ...call, ai_analysis: { ...call.ai_analysis, ...testCase.ai_analysis } };
    const command = buildCrmCommand(event, tenant, fixedClock(fixture.now));
    const { crm_type, duplicate_detection, triggered_workflows } = command;
    const operations = command.operations.map(({ payload_json, ...rest }) => ({
      ...rest,
      payload: JSON.parse(payload_json),
    }));
    expect({ crm_type, duplicate_detection, triggered_workflows, operations }).toEqual(
      testCase.expected_command,
    );
  });
});
