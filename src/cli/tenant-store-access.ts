import { TenantStore } from '../config/tenants/postgres/tenant-store.js';
import { createPool } from '../db/pool.js';

/** The `--database-url` option every command on the tenant store takes. */
export const DATABASE_URL_OPTION = { 'database-url': { type: 'string' } } as const;

export const DATABASE_URL_USAGE =
  'The store is --database-url, else DATABASE_URL (after `leadstream db migrate`).';

/** Opens the tenant store for one command and closes it after, whatever the command did. */
export async function withTenantStore<T>(url: string, use: (store: TenantStore) => Promise<T>): Promise<T> {
  const pool = createPool(url, 'leadstream-cli');
  try {
    return await use(new TenantStore(pool));
  } finally {
    await pool.end();
  }
}
