import type { Settings } from '../config/settings.js';
import { DirectoryTenantSource } from '../config/tenants/directory-tenant-source.js';
import { PostgresTenantSource } from '../config/tenants/postgres/postgres-tenant-source.js';
import type { TenantConfigSource } from '../config/tenants/tenant-config-source.js';
import { createPool } from '../db/pool.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Shutdown } from './shutdown.js';

/**
 * The tenant source TENANT_STORE names: the directory (read once, the embedded default) or the
 * PostgreSQL store (live), whose connections close with the process's shutdown.
 */
export async function tenantSourceFor(
  settings: Settings,
  deps: { logger: Logger; metrics: Metrics; shutdown: Shutdown },
): Promise<TenantConfigSource> {
  if (settings.TENANT_STORE === 'directory' || settings.DATABASE_URL === undefined) {
    return DirectoryTenantSource.load(settings.TENANT_CONFIG_DIR, settings.OUTBOUND_ALLOWED_HOSTS);
  }
  const pool = createPool(settings.DATABASE_URL);
  try {
    const source = await PostgresTenantSource.start({
      pool,
      ownsPool: true,
      connectionString: settings.DATABASE_URL,
      outbound: settings.OUTBOUND_ALLOWED_HOSTS,
      logger: deps.logger,
      metrics: deps.metrics,
      reloadIntervalMs: settings.TENANT_STORE_RELOAD_MS,
      unknownTenantWaitMs: settings.TENANT_UNKNOWN_RETRY_MS,
    });
    // With the consumers: their drain must not wait out a wait for an unknown tenant.
    deps.shutdown.add('consumers', async () => source.releaseWaits());
    deps.shutdown.add('tenants', () => source.close());
    return source;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}
