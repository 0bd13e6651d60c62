import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL server integration tests make their own databases on. */
    databaseUrl: string;
  }
}

/**
 * The tenant store's tests run on a real PostgreSQL. With DATABASE_URL set they use that server;
 * otherwise they bring up the local one (idempotent: a running cluster is reused and left running, as
 * with the Kafka platform; CI's script stops it).
 */
export default function setup(project: TestProject): void {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    project.provide('databaseUrl', configured);
    return;
  }
  const script = join(repo, 'scripts', 'postgres.sh');
  execFileSync('bash', [script, 'up'], { stdio: 'inherit' });
  project.provide('databaseUrl', execFileSync('bash', [script, 'url'], { encoding: 'utf8' }).trim());
}
