import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const read = (stream: PassThrough) => () => stream.read()?.toString() ?? '';
  return { streams: { stdout, stderr, stdin: new PassThrough() }, out: read(stdout), err: read(stderr) };
}

describe('leadstream backfill callrail, before anything is asked of CallRail', () => {
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backfill-cli-'));
    await writeFile(
      join(dir, 'tenant_webhooks_only.json'),
      JSON.stringify({
        tenant_id: 'tenant_webhooks_only',
        callrail: { signing_secret: 'secret:projects/p/secrets/signing/versions/latest' },
        crm_config: {
          type: 'hubspot',
          api_token: 'secret:projects/p/secrets/hs/versions/latest',
          field_mappings: {},
        },
      }),
    );
    process.env.TENANT_CONFIG_DIR = dir;
  });

  it.each([
    [['--since', '2026-11-01'], 'missing --tenant TENANT_ID'],
    [['--tenant', 't'], 'missing --since ISO-TIME'],
    [['--tenant', 't', '--since', 'last week'], '--since "last week" is not an ISO date-time'],
    [['--tenant', 't', '--since', '2026-11-02', '--until', '2026-11-01'], '--until must be after --since'],
    [
      ['--tenant', 't', '--since', '2026-11-01', '--requests-per-hour', '0'],
      '--requests-per-hour "0" is not a whole number ≥ 1',
    ],
  ])('refuses %j: %s (exit 2)', async (args, reason) => {
    const { streams, err } = io();
    expect(await main(['backfill', 'callrail', ...args], streams)).toBe(2);
    expect(err()).toContain(`leadstream backfill callrail: ${reason}\nusage: leadstream backfill callrail`);
  });

  it('says where it looked for an unknown tenant (exit 2)', async () => {
    const { streams, err } = io();
    expect(
      await main(['backfill', 'callrail', '--tenant', 'tenant_nobody', '--since', '2026-11-01'], streams),
    ).toBe(2);
    expect(err()).toBe(
      `leadstream backfill callrail: no tenant tenant_nobody in ${process.env.TENANT_CONFIG_DIR}\n`,
    );
  });

  it('says a tenant without CallRail API credentials cannot be backfilled (exit 1)', async () => {
    const { streams, err } = io();
    const args = ['backfill', 'callrail', '--tenant', 'tenant_webhooks_only', '--since', '2026-11-01'];
    expect(await main(args, streams)).toBe(1);
    expect(err()).toBe(
      "leadstream backfill callrail: tenant tenant_webhooks_only has no callrail.account_id and api_key to read CallRail's API with\n",
    );
  });
});

describe('leadstream events publish, before anything is sent', () => {
  it.each([
    [['calls.jsonl'], 'missing --tenant TENANT_ID'],
    [['--tenant', 't'], 'missing FILE'],
    [['calls.jsonl', '--tenant', 't', '--batch', 'many'], '--batch "many" is not a whole number ≥ 1'],
  ])('refuses %j: %s (exit 2)', async (args, reason) => {
    const { streams, err } = io();
    expect(await main(['events', 'publish', ...args], streams)).toBe(2);
    expect(err()).toContain(`leadstream events publish: ${reason}\n`);
  });
});
