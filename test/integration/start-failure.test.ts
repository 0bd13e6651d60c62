import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/config/settings.js';
import { DirectoryTenantSource } from '../../src/config/tenants/directory-tenant-source.js';
import { createKafka } from '../../src/kafka/kafka-client.js';
import { createLogger } from '../../src/observability/logger.js';
import { parseRoles, type Role } from '../../src/roles/roles.js';
import { type RuntimeOverrides, startLeadstream } from '../../src/roles/runtime.js';
import { EnvSecretResolver } from '../../src/secrets/env-secret-resolver.js';
import { captureLogLines } from '../support/log-capture.js';
import { isolatedSettings, KAFKA_BROKERS, REGISTRY_URL } from '../support/platform.js';
import { GROUP_JOINING_TEST_TIMEOUT_MS, waitFor } from '../support/wait-for.js';

async function listening(port = 0): Promise<Server> {
  const server = createServer();
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on a port');
  return address.port;
}

async function close(server: Server): Promise<void> {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** A port nothing listens on now, for the ops server, so the test knows where it was. */
async function freePort(): Promise<number> {
  const server = await listening();
  const port = portOf(server);
  await close(server);
  return port;
}

/** Whether this process can listen on the port, i.e. whatever had it let it go. */
async function isFree(port: number): Promise<boolean> {
  try {
    await close(await listening(port));
    return true;
  } catch {
    return false;
  }
}

const overrides = (): RuntimeOverrides => ({
  tenants: DirectoryTenantSource.fromConfigs([]),
  secrets: new EnvSecretResolver({}),
});

const admin = createKafka({
  brokers: [KAFKA_BROKERS],
  clientId: 'start-failure-test',
  logger: createLogger({ level: 'silent' }),
}).admin();

/** The members each consumer group of these roles still has. */
async function groupMembers(settings: Settings, roles: readonly Role[]): Promise<Record<string, number>> {
  const groupIds = roles.map((role) => `${settings.KAFKA_CONSUMER_GROUP_PREFIX}-${role}`);
  const { groups } = await admin.describeGroups(groupIds);
  return Object.fromEntries(groups.map((group) => [group.groupId, group.members.length]));
}

describe('a start that fails part-way', { timeout: GROUP_JOINING_TEST_TIMEOUT_MS }, () => {
  let gatewayPortHolder: Server;

  beforeAll(async () => {
    await admin.connect();
    gatewayPortHolder = await listening();
  });

  afterAll(async () => {
    await close(gatewayPortHolder);
    await admin.disconnect();
  });

  it('at the gateway (its port taken) stops the consumers, the producer and the ops server, and rejects', async () => {
    const opsPort = await freePort();
    const settings = isolatedSettings({
      GATEWAY_PORT: String(portOf(gatewayPortHolder)),
      OPS_PORT: String(opsPort),
    });
    const log = captureLogLines();
    const roles = parseRoles('all');

    await expect(
      startLeadstream(settings, roles, { ...overrides(), logger: createLogger({ destination: log.stream }) }),
    ).rejects.toThrow(/EADDRINUSE/);

    expect(await isFree(opsPort)).toBe(true);
    expect(await groupMembers(settings, ['enricher', 'mapper', 'delivery'])).toEqual({
      [`${settings.KAFKA_CONSUMER_GROUP_PREFIX}-enricher`]: 0,
      [`${settings.KAFKA_CONSUMER_GROUP_PREFIX}-mapper`]: 0,
      [`${settings.KAFKA_CONSUMER_GROUP_PREFIX}-delivery`]: 0,
    });
    expect(log.lines()).toContainEqual(
      expect.objectContaining({ severity: 'ERROR', workflow_step: 'startup', status: 'failed' }),
    );
  });

  it("at a consumer's start stops the consumers started before it and the ops server, and rejects", async () => {
    const opsPort = await freePort();
    const settings = isolatedSettings({ OPS_PORT: String(opsPort) });
    const refused = new Error('the delivery consumer could not start');

    await expect(
      startLeadstream(settings, ['enricher', 'mapper', 'delivery'], {
        ...overrides(),
        beforeStep: async (step) => {
          if (step === 'delivery') throw refused;
        },
      }),
    ).rejects.toBe(refused);

    expect(await isFree(opsPort)).toBe(true);
    expect(await groupMembers(settings, ['enricher', 'mapper'])).toEqual({
      [`${settings.KAFKA_CONSUMER_GROUP_PREFIX}-enricher`]: 0,
      [`${settings.KAFKA_CONSUMER_GROUP_PREFIX}-mapper`]: 0,
    });
  });

  it('makes `leadstream run` log why and exit non-zero', async () => {
    const run = randomUUID().slice(0, 8);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', '--role', 'all'], {
      env: {
        ...process.env,
        KAFKA_BROKERS,
        LEADSTREAM_REGISTRY_URL: REGISTRY_URL,
        KAFKA_CONSUMER_GROUP_PREFIX: `start-failure-${run}`,
        TOPIC_RAW_CALLS: `start-failure-raw-${run}`,
        TOPIC_ENRICHED_CALLS: `start-failure-enriched-${run}`,
        TOPIC_CRM_COMMANDS: `start-failure-commands-${run}`,
        TOPIC_DEAD_LETTERS: `start-failure-dead-${run}`,
        TENANT_CONFIG_DIR: 'examples/tenants',
        OUTBOUND_ALLOWED_HOSTS: '127.0.0.1:8089',
        GATEWAY_HOST: '127.0.0.1',
        GATEWAY_PORT: String(portOf(gatewayPortHolder)),
        OPS_HOST: '127.0.0.1',
        OPS_PORT: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    try {
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      expect(stderr).toMatch(/^leadstream: listen EADDRINUSE/m);
      const failed = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((entry) => entry.workflow_step === 'startup' && entry.status === 'failed');
      expect(failed).toMatchObject({
        severity: 'ERROR',
        err: { message: expect.stringMatching(/EADDRINUSE/) },
      });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('/readyz of a process running the gateway', () => {
  it('answers 503 until the gateway listens, then 200', async () => {
    const opsPort = await freePort();
    const settings = isolatedSettings({ OPS_PORT: String(opsPort) });
    const readyz = `http://127.0.0.1:${opsPort}/readyz`;
    let beforeListening: { status: number; body: unknown } | undefined;

    const app = await startLeadstream(settings, ['gateway'], {
      ...overrides(),
      beforeStep: async (step) => {
        if (step !== 'gateway') return;
        const answer = await fetch(readyz);
        beforeListening = { status: answer.status, body: await answer.json() };
      },
    });
    try {
      expect(beforeListening).toEqual({
        status: 503,
        body: { status: 'not_ready', checks: { producer: true, gateway: false } },
      });
      await waitFor('/readyz to answer 200', async () =>
        (await fetch(readyz)).status === 200 ? true : undefined,
      );
    } finally {
      await app.stop();
    }
  });
});
