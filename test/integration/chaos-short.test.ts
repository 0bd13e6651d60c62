import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT_CLI = join(REPO_ROOT, 'dist/src/cli/main.js');

function newestSourceChange(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    const changed = entry.isDirectory() ? newestSourceChange(path) : statSync(path).mtimeMs;
    return Math.max(newest, changed);
  }, 0);
}

/** The build when it is newer than every source file (CI builds first); the sources through tsx otherwise. */
function builtIsCurrent(): boolean {
  try {
    return statSync(BUILT_CLI).mtimeMs >= newestSourceChange(join(REPO_ROOT, 'src'));
  } catch {
    return false;
  }
}

function runChaos(args: string[], signal: AbortSignal): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Aborted at the test's timeout: SIGTERM, on which the run stops the processes it started.
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/chaos/chaos-run.ts', ...args], {
      cwd: REPO_ROOT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
      killSignal: 'SIGTERM',
    });
    const output: string[] = [];
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      process.stdout.write(chunk);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (error) => {
      if (error.name !== 'AbortError') reject(error);
    });
    child.once('exit', (code) => resolve({ code, output: output.join('') }));
  });
}

/**
 * The short chaos run of issue #12 (test/chaos/chaos-run.ts --short, 2 minutes of load and up to 4 of drain): SIGKILLs of
 * every consuming role, a broker restart, a CRM outage and 5xx/429 bursts must lose no accepted call
 * and write none twice. It restarts the broker it runs against, so it runs only when asked (.ci/run asks,
 * after the suite):
 * LEADSTREAM_CHAOS=1, against KAFKA_BROKERS with the platform.sh variables of that broker's instance
 * (KAFKA_PORT, KAFKA_CONTROLLER_PORT, REGISTRY_PORT, LEADSTREAM_PLATFORM_DIR), the default one otherwise.
 */
describe.skipIf(process.env.LEADSTREAM_CHAOS !== '1')('the short chaos run', () => {
  it('loses no accepted call and writes none twice through crashes, a broker restart and a CRM outage', async ({
    signal,
  }) => {
    // A slower machine than this one (CI's) gets a longer drain before a call not yet delivered counts as lost.
    const args = ['--short', '--drain-timeout', '240', ...(builtIsCurrent() ? ['--built'] : [])];
    const { code, output } = await runChaos(args, signal);
    const report = output.slice(output.lastIndexOf('=== chaos run'));
    expect(code, report).toBe(0);
  }, 600_000);
});
