import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const read = (stream: PassThrough) => () => stream.read()?.toString() ?? '';
  return { streams: { stdout, stderr, stdin: new PassThrough() }, out: read(stdout), err: read(stderr) };
}

const DEMO = 'examples/tenants/tenant_demo_kitchens.json';

afterEach(() => {
  vi.unstubAllEnvs();
});

async function tenantFile(fields: Record<string, unknown>): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'validate-')), 'tenant.json');
  await writeFile(file, JSON.stringify({ tenant_id: 't', ...fields }));
  return file;
}

describe('leadstream tenants validate', () => {
  it('accepts the example tenant where the deployment allows its demo CRM, as npm run local does', async () => {
    vi.stubEnv('OUTBOUND_ALLOWED_HOSTS', '127.0.0.1:8089');
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

describe('leadstream tenants validate, outbound URLs', () => {
  it('refuses the metadata address, loopback, file:, gopher: and plain http, each at its JSON path', async () => {
    const files = [
      await tenantFile({
        crm_config: { type: 'hubspot', api_token: 'x', base_url: 'http://169.254.169.254/' },
      }),
      await tenantFile({
        crm_config: {
          type: 'pipedrive',
          api_token: 'x',
          company_domain: 'acme.pipedrive.com',
          api_base_url: 'http://127.0.0.1:9099/api/v2',
        },
      }),
      await tenantFile({
        crm_config: { type: 'monday', api_token: 'x', board_id: 1, api_url: 'file:///etc/passwd' },
      }),
      await tenantFile({
        callrail: {
          signing_secret: 's',
          account_id: 'A',
          api_key: 'k',
          api_base_url: 'gopher://127.0.0.1:6379/_',
        },
        crm_config: { type: 'hubspot', api_token: 'x' },
      }),
      await tenantFile({
        crm_config: { type: 'hubspot', api_token: 'x', base_url: 'http://api.hubapi.com' },
      }),
    ];
    const { streams, err } = io();
    expect(await main(['tenants', 'validate', ...files], streams)).toBe(1);
    expect(err().trim().split('\n')).toEqual([
      `${files[0]}: crm_config.base_url: 169.254.169.254 is a link-local address, refused, unless OUTBOUND_ALLOWED_HOSTS allows it`,
      `${files[1]}: crm_config.api_base_url: 127.0.0.1 is a loopback address, refused, unless OUTBOUND_ALLOWED_HOSTS allows it`,
      `${files[2]}: crm_config.api_url: the file scheme is refused: only https is called`,
      `${files[3]}: callrail.api_base_url: the gopher scheme is refused: only https is called`,
      `${files[4]}: crm_config.base_url: http is refused: use https, unless OUTBOUND_ALLOWED_HOSTS allows it`,
    ]);
  });

  it('accepts a host the deployment allows, by host, host:port or CIDR range, and nothing beside it', async () => {
    const onPremises = await tenantFile({
      crm_config: {
        type: 'custom',
        api_base_url: 'http://10.20.0.7:8080',
        endpoints: {},
        payload_templates: {},
      },
    });
    const emulator = await tenantFile({
      crm_config: { type: 'hubspot', api_token: 'x', base_url: 'http://127.0.0.1:8089' },
    });
    const named = await tenantFile({
      crm_config: { type: 'hubspot', api_token: 'x', base_url: 'http://crm.internal' },
    });
    vi.stubEnv('OUTBOUND_ALLOWED_HOSTS', '10.20.0.0/16, 127.0.0.1:8089, crm.internal');
    const allowed = io();
    expect(await main(['tenants', 'validate', onPremises, emulator, named], allowed.streams)).toBe(0);
    expect(allowed.err()).toBe('');

    vi.stubEnv('OUTBOUND_ALLOWED_HOSTS', '10.21.0.0/16, 127.0.0.1:8090, crm.internal:8443');
    const other = io();
    expect(await main(['tenants', 'validate', onPremises, emulator, named], other.streams)).toBe(1);
    expect(other.err().trim().split('\n')).toHaveLength(3);
  });

  it('prints what an expression always gets wrong, and a file nested too deep, at their JSON paths', async () => {
    const dated = await tenantFile({
      crm_config: {
        type: 'hubspot',
        api_token: 'x',
        field_mappings: { follow_up: 'computed:today() + 7' },
        workflow_triggers: {
          late: { condition: "addDays(ai_analysis.lead_score, 1) > '2027'", actions: ['create_task'] },
        },
      },
    });
    const deep = join(await mkdtemp(join(tmpdir(), 'validate-')), 'deep.json');
    await writeFile(deep, `{"tenant_id":"t","name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
    const { streams, err } = io();
    expect(await main(['tenants', 'validate', dated, deep], streams)).toBe(1);
    expect(err().trim().split('\n')).toEqual([
      `${dated}: crm_config.field_mappings.follow_up: expression "today() + 7": + on a date: a date is text; use addDays(date, days)`,
      `${dated}: crm_config.workflow_triggers.late.condition: expression "addDays(ai_analysis.lead_score, 1) > '2027'": addDays() argument 1 is a number, which it never accepts (expected string or date)`,
      `${deep}: name${'[0]'.repeat(31)}: nested deeper than 32 levels`,
    ]);
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
    expect(command.operations.at(-1)).toMatchObject({ ref: 'call', kind: 'log_call', link_to: 'contact' });
    expect(command.call_timeline).toEqual({
      ref: 'call',
      object_type: 'calls',
      on: 'contact',
      title: 'Inbound call from Jane Doe',
      summary: [
        'Caller: Jane Doe, +15551234567',
        'Wants: a quote',
        'Project: kitchen',
        'Timeline: immediate',
        'Budget: high',
        expect.stringMatching(/^Lead score: 92\/100 \(.+\)$/),
        expect.stringMatching(/^Recording: https:\/\//),
      ],
    });
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
