import { migrate } from '../../db/migrate.js';
import { createPool } from '../../db/pool.js';
import { databaseUrlOf } from '../database-url.js';
import { defineCommand } from '../define-command.js';

export const dbMigrateCommand = defineCommand({
  name: 'db migrate',
  summary: "create or bring up to date the tenant store's tables in PostgreSQL",
  usage: `usage: leadstream db migrate [--database-url URL]

Applies the SQL files of db/migrations the database has not had yet, in order, each in its own
transaction, and records them in schema_migrations. Safe to run again and from several processes at
once. The database is --database-url, else DATABASE_URL.`,
  options: { 'database-url': { type: 'string' } },
  positionals: false,
  async run({ values, refuse }, io) {
    const url = databaseUrlOf(values['database-url']);
    if (url === undefined) return refuse('no database: set DATABASE_URL or pass --database-url');
    const pool = createPool(url, 'leadstream-cli');
    try {
      const report = await migrate(pool);
      for (const m of report.applied)
        io.stdout.write(`applied ${String(m.version).padStart(4, '0')}_${m.name}\n`);
      io.stdout.write(
        `up to date: ${report.applied.length} applied, ${report.alreadyApplied} already applied\n`,
      );
      return 0;
    } finally {
      await pool.end();
    }
  },
});
