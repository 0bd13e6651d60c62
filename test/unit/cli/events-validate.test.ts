import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const read = (stream: PassThrough) => () => stream.read()?.toString() ?? '';
  return { streams: { stdout, stderr, stdin: new PassThrough() }, out: read(stdout), err: read(stderr) };
}

async function jsonLines(lines: readonly string[]): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'events-validate-')), 'calls.jsonl');
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

const call = (callId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    call_id: callId,
    tenant_id: 'tenant_a',
    source_kind: 'callrail_call',
    customer_phone: '+15551234567',
    received_at: '2026-11-25T17:20:00Z',
    ...extra,
  });

describe('leadstream events validate', () => {
  it('accepts a file of valid RawCalls, blank lines and CRLF endings included, and exits 0', async () => {
    const file = await jsonLines([
      call('CAL1'),
      '',
      '   ',
      `${call('CAL2', { start_time: 1764090000000 })}\r`,
    ]);
    const { streams, out, err } = io();
    expect(await main(['events', 'validate', file], streams)).toBe(0);
    expect(out()).toBe(`${file}: ok, 2 records\n`);
    expect(err()).toBe('');
  });

  it('names every problem with its line and field, and exits 1', async () => {
    const file = await jsonLines([
      call('CAL1'),
      '{"call_id": "CAL2", "tenant_id": ',
      call('CAL3', { duration_seconds: '180', transcript: 'Caller: hi' }),
      '',
      call('CAL4', { received_at: 'yesterday', marketing: { utm_source: 3 } }),
      JSON.stringify({ tenant_id: 'tenant_a', received_at: 1 }),
      call('CAL5', { duration_seconds: 3_000_000_000 }),
      call('CAL1'),
      '[1, 2]',
    ]);
    const { streams, out, err } = io();
    expect(await main(['events', 'validate', file], streams)).toBe(1);
    const problems = err().trimEnd().split('\n');
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^${file}:2: \\(root\\): not JSON: `)),
      `${file}:3: duration_seconds: expected number, got string`,
      `${file}:3: transcript: unknown key "transcript" (did you mean "transcription"?)`,
      `${file}:5: marketing.utm_source: expected string, got number`,
      `${file}:5: received_at: expected epoch milliseconds or an ISO date-time`,
      `${file}:6: call_id: expected string, got undefined`,
      `${file}:7: duration_seconds: out of the range the Avro schema holds`,
      `${file}:8: call_id: "CAL1" is already the call_id of line 1 for tenant tenant_a: the same idempotency key, read downstream as a redelivery of that call`,
      `${file}:9: (root): expected object, got array`,
    ]);
    expect(out()).toBe(`${file}: 7 of 8 records invalid\n`);
  });

  it('with --tenant, names a record of another tenant', async () => {
    const file = await jsonLines([call('CAL1'), call('CAL2', { tenant_id: 'tenant_b' })]);
    const { streams, err } = io();
    expect(await main(['events', 'validate', file, '--tenant', 'tenant_a'], streams)).toBe(1);
    expect(err()).toBe(
      `${file}:2: tenant_id: "tenant_b" is not the tenant published for (--tenant tenant_a)\n`,
    );
  });

  it('says a file with no record, or one that cannot be read, is not valid', async () => {
    const empty = await jsonLines(['', '']);
    const first = io();
    expect(await main(['events', 'validate', empty], first.streams)).toBe(1);
    expect(first.out()).toBe(`${empty}: no record (every line is blank)\n`);
    const second = io();
    expect(await main(['events', 'validate', '/nonexistent/calls.jsonl'], second.streams)).toBe(1);
    expect(second.err()).toContain('/nonexistent/calls.jsonl: cannot be read: ENOENT');
  });

  it('refuses a command line without FILE, and prints its usage with --help', async () => {
    const refused = io();
    expect(await main(['events', 'validate'], refused.streams)).toBe(2);
    expect(refused.err()).toContain('leadstream events validate: missing FILE');
    const help = io();
    expect(await main(['events', 'validate', '--help'], help.streams)).toBe(0);
    expect(help.out()).toContain('usage: leadstream events validate FILE');
  });
});
