import pg from 'pg';

/** A pool on the tenant store; its connections are named so `pg_stat_activity` tells whose they are. */
export function createPool(connectionString: string, applicationName = 'leadstream'): pg.Pool {
  return new pg.Pool({
    connectionString,
    application_name: applicationName,
    max: 4,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
}
