import { setTimeout as sleep } from 'node:timers/promises';

/** Polls until the probe returns a value other than undefined, or fails naming what it waited for. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * The vitest timeout of an integration test that starts consumers itself (a consumer group's join takes
 * seconds, more on a loaded machine) or runs the CLI: three times the integration default, as the
 * beforeAll hooks that start them get, so a slow machine meets the test's own waits, not vitest's.
 */
export const GROUP_JOINING_TEST_TIMEOUT_MS = 180_000;
