import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const read = (stream: PassThrough) => () => stream.read()?.toString() ?? '';
  return { streams: { stdout, stderr, stdin: new PassThrough() }, out: read(stdout), err: read(stderr) };
}

const acme = {
  tenant_id: 'tenant_acme',
  name: 'Acme Remodeling',
  crm_config: {
    type: 'hubspot',
    api_token: 'secret:projects/acme/secrets/hubspot-token-tenant-acme/versions/latest',
    field_mappings: { phone: 'customer_phone', firstname: 'customer_name_first' },
  },
};

describe('leadstream tenants apply|get|list|diff|disable|enable on a real PostgreSQL', () => {
  let db: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'tenants-'));
  });
  afterEach(async () => {
    await db.drop();
  });

  async function file(name: string, content: unknown): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(content));
    return path;
  }

  async function run(...args: string[]) {
    const { streams, out, err } = io();
    const code = await main([...args, '--database-url', db.url], streams);
    return { code, out: out(), err: err() };
  }

  it('refuses a raw token where the guide puts a secret: reference, and a broken file, writing nothing', async () => {
    const leaky = await file('leaky.json', {
      ...acme,
      crm_config: { ...acme.crm_config, api_token: 'pat-na1-0123456789abcdef' },
    });
    const broken = await file('broken.json', {
      ...acme,
      tenant_id: 'tenant_broken',
      crm_config: { ...acme.crm_config, field_mappings: { city: '{{customer_city' } },
    });
    const good = await file('good.json', { ...acme, tenant_id: 'tenant_good' });
    const refused = await run('tenants', 'apply', leaky, broken, good);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`${leaky}: crm_config.api_token: looks like a raw credential`);
    expect(refused.err).toContain(
      `${broken}: crm_config.field_mappings.city: template "{{customer_city": unbalanced`,
    );
    expect(refused.err).not.toContain('pat-na1-0123456789abcdef');
    expect(refused.err).toContain('nothing applied: 2 of 3 files refused');
    expect((await db.pool.query('SELECT count(*)::int AS n FROM tenants')).rows[0]?.n).toBe(0);
  });

  it('applies, shows the difference before a change, lists, gets, disables and enables', async () => {
    const path = await file('acme.json', acme);
    const created = await run('tenants', 'apply', path);
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/tenants\/tenant_acme: created \(version (\d+)\)/);
    const again = await run('tenants', 'apply', path);
    expect(again.out).toContain('unchanged');

    const changed = await file('acme-city.json', {
      ...acme,
      crm_config: {
        ...acme.crm_config,
        field_mappings: { ...acme.crm_config.field_mappings, city: 'customer_city' },
      },
    });
    const dry = await run('tenants', 'apply', '--dry-run', changed);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('+ crm_config.field_mappings.city: "customer_city"');
    const diff = await run('tenants', 'diff', 'tenant_acme', changed);
    expect(diff.code).toBe(1);
    expect(diff.out).toBe('+ crm_config.field_mappings.city: "customer_city"\n');
    expect((await run('tenants', 'diff', 'tenant_acme', path)).code).toBe(0);

    const updated = await run('tenants', 'apply', changed);
    expect(updated.out).toContain('updated');
    const got = await run('tenants', 'get', 'tenant_acme');
    expect(JSON.parse(got.out).crm_config.field_mappings.city).toBe('customer_city');

    expect((await run('tenants', 'disable', 'tenant_acme')).out).toMatch(
      /tenant_acme: disabled \(version \d+\)/,
    );
    expect((await run('tenants', 'list')).out).toMatch(/^tenant_acme\s+hubspot\s+disabled\s+\d+\s+\d{4}-/m);
    await run('tenants', 'enable', 'tenant_acme');
    expect((await run('tenants', 'list')).out).toMatch(/^tenant_acme\s+hubspot\s+enabled/m);
    expect((await run('tenants', 'disable', 'tenant_nobody')).code).toBe(1);
  });
});
