import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { KAFKA_BROKERS, REGISTRY_URL } from '../support/platform.js';
import { GROUP_JOINING_TEST_TIMEOUT_MS, waitFor } from '../support/wait-for.js';

describe('leadstream run', { timeout: GROUP_JOINING_TEST_TIMEOUT_MS }, () => {
  it('becomes ready, then on SIGTERM drains, reports stopped and exits 0', async () => {
    const run = randomUUID().slice(0, 8);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', '--role', 'all'], {
      env: {
        ...process.env,
        KAFKA_BROKERS,
        LEADSTREAM_REGISTRY_URL: REGISTRY_URL,
        KAFKA_CONSUMER_GROUP_PREFIX: `cli-${run}`,
        TOPIC_RAW_CALLS: `cli-raw-${run}`,
        TOPIC_ENRICHED_CALLS: `cli-enriched-${run}`,
        TOPIC_CRM_COMMANDS: `cli-commands-${run}`,
        TOPIC_DEAD_LETTERS: `cli-dead-${run}`,
        TENANT_CONFIG_DIR: 'examples/tenants',
        OUTBOUND_ALLOWED_HOSTS: '127.0.0.1:8089',
        GATEWAY_HOST: '127.0.0.1',
        GATEWAY_PORT: '0',
        OPS_HOST: '127.0.0.1',
        OPS_PORT: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = once(child, 'exit');
    try {
      const ops = await waitFor('the ops address', () => /ops (http:\/\/[0-9.:]+)/.exec(output)?.[1], 60_000);
      await waitFor(
        '/readyz to answer 200',
        async () => ((await fetch(`${ops}/readyz`)).status === 200 ? true : undefined),
        60_000,
      );
      const health = await fetch(`${ops}/healthz`);
      expect(health.status).toBe(200);
      const metrics = await (await fetch(`${ops}/metrics`)).text();
      expect(metrics).toContain('leadstream_process_cpu_seconds_total');

      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      const stopped = output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((entry) => entry.workflow_step === 'shutdown' && entry.status === 'stopped');
      expect(stopped).toMatchObject({ severity: 'INFO' });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses to start with a bad setting and names it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run'], {
      env: { ...process.env, KAFKA_BROKERS, TOPIC_PARTITIONS: 'lots' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/TOPIC_PARTITIONS/);
  });
});
