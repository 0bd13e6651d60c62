import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` needs nothing running; `integration` talks to a real Kafka broker and schema
 * registry, which its global setup starts (scripts/platform.sh) unless KAFKA_BROKERS points elsewhere,
 * and PostgreSQL for the tenant store (scripts/postgres.sh) unless DATABASE_URL does.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/emulators/**/*.test.ts'],
          testTimeout: 15_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/platform-global-setup.ts', 'test/support/postgres-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
