import pg from 'pg';

/**
 * A pool on the tenant store; its connections are named so `pg_stat_activity` tells whose they are. An
 * idle connection the server drops (a restart, a failover) is an 'error' event, which without a listener
 * would end the process; the pool replaces it, and a query that needs the server fails on its own.
 */
export function createPool(connectionString: string, applicationName = 'leadstream'): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    application_name: applicationName,
    max: 4,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', () => undefined);
  return pool;
}
