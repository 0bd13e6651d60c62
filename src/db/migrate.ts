import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'pg';
import { LeadstreamError } from '../errors/leadstream-error.js';

/**
 * Plain versioned SQL files (`db/migrations/NNNN_name.sql`), applied in order, each in its own
 * transaction, and recorded with a checksum in `schema_migrations`. Plain SQL rather than a migration
 * library: the schema is one table, a sequence and two triggers, which a DBA reads and could apply with
 * psql as they are; a library would add a dependency and its own format for what is ~60 lines here.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: readonly Migration[];
  alreadyApplied: number;
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;
/** Any fixed number: every process migrating at once waits for the first instead of racing it. */
const MIGRATION_LOCK = 7_213_001;

/** db/migrations sits at the package root, found upward from here so src/ (tsx) and dist/src/ (node) both work. */
export function migrationDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'db', 'migrations');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new LeadstreamError('config_error', 'db/migrations not found above leadstream');
    dir = parent;
  }
}

export async function readMigrations(directory = migrationDirectory()): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for (const file of (await readdir(directory)).filter((name) => name.endsWith('.sql')).sort()) {
    const match = FILE_NAME.exec(file);
    if (!match) {
      throw new LeadstreamError('config_error', `${file}: a migration is named NNNN_name.sql`);
    }
    const sql = await readFile(join(directory, file), 'utf8');
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) {
      throw new LeadstreamError('config_error', `${file}: migration version ${version} is used twice`);
    }
    migrations.push({
      version,
      name: match[2] ?? file,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  return migrations;
}

/**
 * Applies the migrations the database has not had. A migration already applied whose file changed
 * since is refused: the database would no longer be what the files say.
 */
export async function migrate(pool: Pool, migrations?: readonly Migration[]): Promise<MigrationReport> {
  const all = migrations ?? (await readMigrations());
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = await client.query<{ version: number; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations',
    );
    const applied = new Map(done.rows.map((row) => [row.version, row.checksum]));
    for (const migration of all) {
      const checksum = applied.get(migration.version);
      if (checksum !== undefined && checksum !== migration.checksum) {
        throw new LeadstreamError(
          'config_error',
          `migration ${migration.version}_${migration.name} was changed after it was applied; add a new migration instead`,
        );
      }
    }
    const pending = all.filter((migration) => !applied.has(migration.version));
    for (const migration of pending) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          migration.checksum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new LeadstreamError(
          'config_error',
          `migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
    return { applied: pending, alreadyApplied: all.length - pending.length };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
