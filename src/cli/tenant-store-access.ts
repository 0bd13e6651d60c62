import { TenantStore } from '../config/tenants/postgres/tenant-store.js';
import { createPool } from '../db/pool.js';
import { LeadstreamError } from '../errors/leadstream-error.js';

/** PostgreSQL's "undefined_table". */
const NO_SUCH_TABLE = '42P01';

/** The `--database-url` option every command on the tenant store takes. */
export const DATABASE_URL_OPTION = { 'database-url': { type: 'string' } } as const;

export const DATABASE_URL_USAGE =
  'The store is --database-url, else DATABASE_URL (after `leadstream db migrate`).';

/** Opens the tenant store for one command and closes it after, whatever the command did. */
export async function withTenantStore<T>(url: string, use: (store: TenantStore) => Promise<T>): Promise<T> {
  const pool = createPool(url, 'leadstream-cli');
  try {
    return await use(new TenantStore(pool));
  } catch (error) {
    if ((error as { code?: unknown }).code === NO_SUCH_TABLE) {
      throw new LeadstreamError(
        'config_error',
        'this database has no tenants table: run `leadstream db migrate` first',
        {
          cause: error,
        },
      );
    }
    throw error;
  } finally {
    await pool.end();
  }
}
