import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Integration tests run on a real broker and registry. With KAFKA_BROKERS set they use that platform;
 * otherwise they bring up the local one (idempotent: a running platform is reused and left running,
 * as a developer's service; CI's script stops it).
 */
export default function setup(): void {
  if (process.env.KAFKA_BROKERS) return;
  execFileSync('bash', [join(repo, 'scripts', 'platform.sh'), 'up'], { stdio: 'inherit' });
}
