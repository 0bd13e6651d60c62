import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { TenantStore } from '../../src/config/tenants/postgres/tenant-store.js';
import { type CallRailApi, startCallRailApi } from '../emulators/callrail/calls-api.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';

const TENANT = 'tenant_stored';
const ACCOUNT = 'ACC0042';
const API_KEY = 'callrail-stored-key';
const SINCE = '2026-11-01T00:00:00Z';
const UNTIL = '2026-11-30T23:59:59Z';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const read = (stream: PassThrough) => () => stream.read()?.toString() ?? '';
  return { streams: { stdout, stderr, stdin: new PassThrough() }, out: read(stdout), err: read(stderr) };
}

async function run(...args: string[]) {
  const { streams, out, err } = io();
  const code = await main(args, streams);
  return { code, out: out(), err: err() };
}

describe('--tenant commands read the tenant from the PostgreSQL store with TENANT_STORE=postgres', () => {
  let db: TestDatabase;
  let api: CallRailApi;
  let store: TenantStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new TenantStore(db.pool);
    api = await startCallRailApi({
      accountId: ACCOUNT,
      apiKey: API_KEY,
      calls: Array.from({ length: 3 }, (_, i) => ({
        id: `CALSTORED${i}`,
        answered: true,
        duration: 60,
        customer_phone_number: '+15550001111',
        start_time: new Date(Date.parse(SINCE) + i * 3_600_000).toISOString(),
        transcription: null,
      })),
      formSubmissions: [],
    });
    await store.upsert([
      {
        tenantId: TENANT,
        configuration: {
          callrail: {
            company_ids: ['COM42'],
            signing_secret: 'secret:projects/p/secrets/stored-signing/versions/latest',
            account_id: ACCOUNT,
            api_key: 'secret:projects/p/secrets/stored-callrail-key/versions/latest',
            api_base_url: api.baseUrl,
          },
          crm_config: {
            type: 'hubspot',
            api_token: 'secret:projects/p/secrets/stored-hubspot/versions/latest',
            field_mappings: { phone: 'customer_phone' },
          },
        },
      },
    ]);
    vi.stubEnv('TENANT_STORE', 'postgres');
    vi.stubEnv('DATABASE_URL', db.url);
    // An empty directory: a tenant found there would not be the store's.
    vi.stubEnv('TENANT_CONFIG_DIR', await mkdtemp(join(tmpdir(), 'no-tenants-')));
    vi.stubEnv('OUTBOUND_ALLOWED_HOSTS', '127.0.0.1');
    vi.stubEnv('LEADSTREAM_SECRET_STORED_CALLRAIL_KEY', API_KEY);
    vi.stubEnv('LOG_LEVEL', 'silent');
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await api?.close();
    await db?.drop();
  });

  const dryRun = [
    'backfill',
    'callrail',
    '--tenant',
    TENANT,
    '--since',
    SINCE,
    '--until',
    UNTIL,
    '--dry-run',
  ];

  it("backfill callrail reads CallRail with the stored tenant's account and key", async () => {
    const result = await run(...dryRun, '--state', join(tmpdir(), `unused-${Date.now()}.json`));
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      new RegExp(
        `^dry run: would publish 3 calls and 0 form submissions of CallRail account ${ACCOUNT} for ${TENANT}`,
      ),
    );
    expect(api.requests.every(({ authorization }) => authorization === `Token token="${API_KEY}"`)).toBe(
      true,
    );
  });

  it('backfill callrail refuses a disabled tenant before asking CallRail anything', async () => {
    await store.setEnabled(TENANT, false);
    api.reset();
    try {
      const result = await run(...dryRun);
      expect(result.code).toBe(1);
      expect(result.err).toContain(`tenant ${TENANT} is disabled`);
      expect(result.err).toContain(`leadstream tenants enable ${TENANT}`);
      expect(api.requests).toHaveLength(0);
    } finally {
      await store.setEnabled(TENANT, true);
    }
  });

  it.each([
    ['backfill', 'callrail', '--since', SINCE],
    ['crm', 'test'],
    ['crm', 'provision'],
  ])('%s %s names a tenant the store lacks', async (group, name, ...rest) => {
    const result = await run(group, name, '--tenant', 'tenant_nobody', ...rest);
    expect(result.code).toBe(2);
    expect(result.err).toBe(
      `leadstream ${group} ${name}: no tenant tenant_nobody in the tenant store (TENANT_STORE=postgres); \`leadstream tenants list\` shows its tenants\n`,
    );
  });

  it('crm test says what is wrong with a stored configuration the roles would refuse', async () => {
    await db.pool.query('INSERT INTO tenants (tenant_id, configuration) VALUES ($1, $2)', [
      'tenant_broken',
      {
        crm_config: {
          type: 'hubspot',
          api_token: 'secret:projects/p/secrets/broken-hubspot/versions/latest',
          field_mappings: { city: '{{customer_city' },
        },
      },
    ]);
    const result = await run('crm', 'test', '--tenant', 'tenant_broken');
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      'tenants/tenant_broken: crm_config.field_mappings.city: template "{{customer_city": unbalanced',
    );
    expect(result.err).toMatch(/tenant tenant_broken's stored configuration \(version \d+\) is refused/);
  });
});
