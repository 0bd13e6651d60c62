import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostgresTenantSource } from '../../src/config/tenants/postgres/postgres-tenant-source.js';
import { migrate } from '../../src/db/migrate.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { guideCrmConfig } from '../support/guide-fixtures.js';
import { isolatedSettings } from '../support/platform.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { waitFor } from '../support/wait-for.js';

/** The guide's configuration column for a HubSpot tenant, without tenant_id (the row's key says it). */
const configuration = {
  name: 'Acme Remodeling',
  crm_config: {
    type: 'hubspot',
    api_token: 'secret:projects/acme/secrets/hubspot-token-tenant-acme/versions/latest',
    field_mappings: { phone: 'customer_phone', firstname: 'customer_name_first' },
  },
};

describe('the PostgreSQL tenant store', () => {
  let db: TestDatabase;
  let source: PostgresTenantSource | undefined;
  let metrics: Metrics;

  beforeEach(async () => {
    db = await createTestDatabase();
    metrics = new Metrics({ processMetrics: false, tenantLabel: true });
  });
  afterEach(async () => {
    await source?.close();
    source = undefined;
    await db.drop();
  });

  async function start(options: { reloadIntervalMs?: number; unknownTenantWaitMs?: number } = {}) {
    source = await PostgresTenantSource.start({
      pool: db.pool,
      connectionString: db.url,
      outbound: isolatedSettings().OUTBOUND_ALLOWED_HOSTS,
      logger: createLogger({ level: 'silent' }),
      metrics,
      reloadIntervalMs: options.reloadIntervalMs ?? 60_000,
      unknownTenantWaitMs: options.unknownTenantWaitMs ?? 1_000,
    });
    return source;
  }

  async function metric(name: string): Promise<number | undefined> {
    const found = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
    return found?.values.find((v) => v.labels.tenant === 'tenant_acme')?.value;
  }

  it('db migrate applies each migration once, and again finds nothing to do', async () => {
    const again = await migrate(db.pool);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBeGreaterThanOrEqual(1);
    const columns = await db.pool.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'tenants' ORDER BY ordinal_position`,
    );
    expect(columns.rows).toEqual([
      { column_name: 'tenant_id', data_type: 'text' },
      { column_name: 'configuration', data_type: 'jsonb' },
      { column_name: 'enabled', data_type: 'boolean' },
      { column_name: 'version', data_type: 'bigint' },
      { column_name: 'updated_at', data_type: 'timestamp with time zone' },
    ]);
  });

  it("sees an inserted tenant and the guide's jsonb_set UPDATE within seconds, with a new version", async () => {
    const tenants = await start();
    expect(await tenants.get('tenant_acme')).toBeUndefined();
    await db.pool.query('INSERT INTO tenants (tenant_id, configuration) VALUES ($1, $2)', [
      'tenant_acme',
      configuration,
    ]);
    const first = await waitFor('the inserted tenant', () => tenants.loaded()[0]);
    expect((await tenants.get('tenant_acme'))?.crm_config.type).toBe('hubspot');

    // The guide's "Duplicate Detection Issues" statement, in PostgreSQL's jsonb form.
    await db.pool.query(`UPDATE tenants
      SET configuration = jsonb_set(configuration, '{crm_config,duplicate_detection}',
        '{"enabled": true, "match_fields": ["phone", "email"], "match_strategy": "exact", "action": "update_existing"}')
      WHERE tenant_id = 'tenant_acme'`);
    const second = await waitFor('the updated version', () => {
      const loaded = tenants.loaded()[0];
      return loaded && loaded.version !== first.version ? loaded : undefined;
    });
    expect(BigInt(second.version)).toBeGreaterThan(BigInt(first.version));
    const config = await tenants.get('tenant_acme');
    expect(config?.crm_config.type === 'hubspot' && config.crm_config.duplicate_detection).toMatchObject({
      enabled: true,
      match_fields: ['phone', 'email'],
    });
    expect(await metric('leadstream_tenant_config_version')).toBe(Number(second.version));
  });

  it("puts each of the guide's crm_config statements, in jsonb form, in force", async () => {
    await db.pool.query('INSERT INTO tenants (tenant_id, configuration) VALUES ($1, $2)', [
      'tenant_acme',
      configuration,
    ]);
    const tenants = await start();
    for (const [block, type] of [
      ['hubspot', 'hubspot'],
      ['salesforce', 'salesforce'],
      ['pipedrive', 'pipedrive'],
      ['custom-rest', 'custom'],
    ] as const) {
      // README "Tenants in PostgreSQL": UPDATE tenants SET configuration = jsonb_set(configuration, '{crm_config}', '<the guide's JSON>') ...
      await db.pool.query(
        `UPDATE tenants SET configuration = jsonb_set(configuration, '{crm_config}', $1::jsonb) WHERE tenant_id = 'tenant_acme'`,
        [JSON.stringify(guideCrmConfig(block))],
      );
      await waitFor(`the guide's ${block} block in force`, async () =>
        (await tenants.get('tenant_acme'))?.crm_config.type === type ? true : undefined,
      );
    }
    expect(await metric('leadstream_tenant_config_rejections_total')).toBeUndefined();
  });

  it('refuses an invalid row, counts it and keeps the last good configuration until a valid one', async () => {
    await db.pool.query('INSERT INTO tenants (tenant_id, configuration) VALUES ($1, $2)', [
      'tenant_acme',
      configuration,
    ]);
    const tenants = await start();
    const good = tenants.loaded()[0];
    expect(good).toBeDefined();

    await db.pool.query(`UPDATE tenants
      SET configuration = jsonb_set(configuration, '{crm_config,field_mappings,firstname}', '"{{customer_name_first"')
      WHERE tenant_id = 'tenant_acme'`);
    await waitFor('the refusal counted', async () =>
      (await metric('leadstream_tenant_config_rejections_total')) === 1 ? true : undefined,
    );
    expect(tenants.loaded()[0]?.version).toBe(good?.version);
    const kept = await tenants.get('tenant_acme');
    expect(kept?.crm_config.type === 'hubspot' && kept.crm_config.field_mappings?.firstname).toBe(
      'customer_name_first',
    );

    await db.pool.query(`UPDATE tenants
      SET configuration = jsonb_set(configuration, '{crm_config,field_mappings,firstname}', '"customer_name"')
      WHERE tenant_id = 'tenant_acme'`);
    await waitFor('the fixed row in force', async () => {
      const config = await tenants.get('tenant_acme');
      return config?.crm_config.type === 'hubspot' &&
        config.crm_config.field_mappings?.firstname === 'customer_name'
        ? true
        : undefined;
    });
    expect(await metric('leadstream_tenant_config_rejections_total')).toBe(1);
  });

  it('finds a tenant by its CallRail company, refuses a second claim on it, and follows a change', async () => {
    const callrail = (company: string) => ({
      ...configuration,
      callrail: {
        company_ids: [company],
        signing_secret: 'secret:projects/acme/secrets/callrail/versions/1',
      },
    });
    await db.pool.query('INSERT INTO tenants (tenant_id, configuration) VALUES ($1, $2), ($3, $4)', [
      'tenant_acme',
      callrail('COM1'),
      'tenant_rival',
      callrail('COM1'),
    ]);
    const tenants = await start();
    expect((await tenants.findByCallRailCompany('COM1'))?.tenant_id).toBe('tenant_acme');
    expect(await tenants.get('tenant_rival')).toBeUndefined();

    await db.pool.query("UPDATE tenants SET configuration = $1 WHERE tenant_id = 'tenant_acme'", [
      callrail('COM2'),
    ]);
    await waitFor('the new company', async () => (await tenants.findByCallRailCompany('COM2')) ?? undefined);
    expect(await tenants.findByCallRailCompany('COM1')).toBeUndefined();
  });

  it('waits for a tenant that appears after it was asked for, and gives up on one that never does', async () => {
    const tenants = await start({ unknownTenantWaitMs: 3_000 });
    const waiting = tenants.waitFor('tenant_acme');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await db.pool.query('INSERT INTO tenants (tenant_id, configuration) VALUES ($1, $2)', [
      'tenant_acme',
      configuration,
    ]);
    expect((await waiting)?.tenant_id).toBe('tenant_acme');

    const started = Date.now();
    expect(await tenants.waitFor('tenant_never')).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
    // Its next message is not held a whole window again: one more read of the store, then given up.
    const again = Date.now();
    expect(await tenants.waitFor('tenant_never')).toBeUndefined();
    expect(Date.now() - again).toBeLessThan(1_000);
  });

  it('lets a stopping consumer go: a wait for an unknown tenant ends as a retryable failure', async () => {
    const tenants = await start({ unknownTenantWaitMs: 60_000 });
    const waiting = tenants.waitFor('tenant_late');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    tenants.releaseWaits();
    await expect(waiting).rejects.toMatchObject({ type: 'tenant_store_unavailable', retryable: true });
    // Not the 60 s window; a bound a loaded machine meets, with room for a store read already under way
    // when the wait is released.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reads the whole table again after losing its LISTEN connection', async () => {
    const tenants = await start({ reloadIntervalMs: 60_000 });
    await db.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'leadstream-tenants-listen' AND datname = current_database()`,
    );
    await db.pool.query('INSERT INTO tenants (tenant_id, configuration, enabled) VALUES ($1, $2, false)', [
      'tenant_acme',
      configuration,
    ]);
    await waitFor('the tenant read after reconnecting', () => tenants.loaded()[0], 15_000);
    expect(tenants.isDisabled('tenant_acme')).toBe(true);
  });
});
