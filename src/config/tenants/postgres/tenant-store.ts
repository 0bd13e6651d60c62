import type pg from 'pg';
import { TENANT_COLUMNS, type TenantRow } from './tenant-row.js';

/** What the CLI reads and writes in the `tenants` table; the running roles read it through PostgresTenantSource. */
export class TenantStore {
  constructor(private readonly pool: pg.Pool) {}

  async list(): Promise<TenantRow[]> {
    const { rows } = await this.pool.query<TenantRow>(
      `SELECT ${TENANT_COLUMNS} FROM tenants ORDER BY tenant_id`,
    );
    return rows;
  }

  async get(tenantId: string): Promise<TenantRow | undefined> {
    const { rows } = await this.pool.query<TenantRow>(
      `SELECT ${TENANT_COLUMNS} FROM tenants WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0];
  }

  /**
   * Writes every configuration in one transaction: a batch of files goes in whole or not at all. A
   * configuration equal to the one stored is left alone, so its version (and every pod) stays put.
   */
  async upsert(
    configurations: ReadonlyArray<{ tenantId: string; configuration: Record<string, unknown> }>,
  ): Promise<Array<{ tenantId: string; version: string; outcome: 'created' | 'updated' | 'unchanged' }>> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const results = [];
      for (const { tenantId, configuration } of configurations) {
        const { rows } = await client.query<{ version: string; created: boolean }>(
          `INSERT INTO tenants (tenant_id, configuration) VALUES ($1, $2)
           ON CONFLICT (tenant_id) DO UPDATE SET configuration = EXCLUDED.configuration
             WHERE tenants.configuration IS DISTINCT FROM EXCLUDED.configuration
           RETURNING version, (xmax = 0) AS created`,
          [tenantId, configuration],
        );
        const [row] = rows;
        if (row) {
          results.push({
            tenantId,
            version: row.version,
            outcome: row.created ? 'created' : 'updated',
          } as const);
        } else {
          const stored = await client.query<{ version: string }>(
            'SELECT version FROM tenants WHERE tenant_id = $1',
            [tenantId],
          );
          results.push({ tenantId, version: stored.rows[0]?.version ?? '', outcome: 'unchanged' } as const);
        }
      }
      await client.query('COMMIT');
      return results;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  /** The tenant's new version, or undefined when there is no such tenant. */
  async setEnabled(tenantId: string, enabled: boolean): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ version: string }>(
      'UPDATE tenants SET enabled = $2 WHERE tenant_id = $1 RETURNING version',
      [tenantId, enabled],
    );
    return rows[0]?.version;
  }
}
