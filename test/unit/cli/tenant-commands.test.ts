import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const read = (stream: PassThrough) => () => stream.read()?.toString() ?? '';
  return { streams: { stdout, stderr, stdin: new PassThrough() }, out: read(stdout), err: read(stderr) };
}

const DEMO = 'examples/tenants/tenant_demo_kitchens.json';

describe('leadstream tenants validate', () => {
  it('accepts the example tenant', async () => {
    const { streams, out } = io();
    expect(await main(['tenants', 'validate', DEMO], streams)).toBe(0);
    expect(out()).toContain('ok (tenant tenant_demo_kitchens)');
  });

  it('prints every problem of every file with its JSON path, and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'validate-'));
    const bad = join(dir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({
        tenant_id: 't',
        crm_config: {
          type: 'hubspot',
          api_token: 'x',
          custom_properties: [{ name: 'ai_lead_score', value: 'ai_analysis.lead_score', type: 'integer' }],
          fiel_mappings: {},
        },
      }),
    );
    const { streams, err } = io();
    expect(await main(['tenants', 'validate', DEMO, bad], streams)).toBe(1);
    const text = err();
    expect(text).toContain(`${bad}: crm_config.custom_properties[0].type:`);
    expect(text).toMatch(/fiel_mappings/);
  });

  it('prints warnings but accepts a file that has only warnings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'validate-'));
    const file = join(dir, 'warned.json');
    await writeFile(
      file,
      JSON.stringify({
        tenant_id: 't',
        crm_config: { type: 'hubspot', api_token: 'x', field_mappings: { hs_lead_source: 'phone_call' } },
      }),
    );
    const { streams, out, err } = io();
    expect(await main(['tenants', 'validate', file], streams)).toBe(0);
    expect(err()).toContain(
      `${file}: warning: crm_config.field_mappings.hs_lead_source: "phone_call" is not a call field`,
    );
    expect(out()).toContain('ok (tenant t)');
  });
});

describe('leadstream map', () => {
  it('previews the command for an enriched call without sending anything', async () => {
    const { streams, out } = io();
    const code = await main(
      [
        'map',
        '--config',
        DEMO,
        '--event',
        'examples/events/enriched-call.json',
        '--now',
        '2026-11-25T17:20:00Z',
      ],
      streams,
    );
    expect(code).toBe(0);
    const command = JSON.parse(out());
    expect(command.triggered_workflows).toEqual(['high_value_lead', 'immediate_timeline']);
    expect(command.operations[0]).toMatchObject({
      kind: 'upsert_contact',
      payload: { properties: { firstname: 'Jane', lastname: 'Doe', ai_lead_score: 92 } },
    });
    expect(command.created_at).toBe(Date.parse('2026-11-25T17:20:00Z'));
  });

  it('reports a mapping error on stderr and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'map-'));
    const config = join(dir, 'tenant.json');
    await writeFile(
      config,
      JSON.stringify({
        tenant_id: 't',
        crm_config: {
          type: 'hubspot',
          api_token: 'x',
          custom_properties: [{ name: 'ai_lead_score', value: 'customer_city', type: 'number' }],
        },
      }),
    );
    const { streams, err } = io();
    expect(
      await main(['map', '--config', config, '--event', 'examples/events/enriched-call.json'], streams),
    ).toBe(1);
    expect(err()).toContain(
      'field_mapping_error: Invalid value for field ai_lead_score: expected number, got string',
    );
  });
});
