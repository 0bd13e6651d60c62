import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const read = (stream: PassThrough) => () => stream.read()?.toString() ?? '';
  return { streams: { stdout, stderr, stdin: new PassThrough() }, out: read(stdout), err: read(stderr) };
}

describe('leadstream command line', () => {
  it('lists the commands with --help and exits 0', async () => {
    const { streams, out } = io();
    expect(await main(['--help'], streams)).toBe(0);
    expect(out()).toMatch(/run\s+run pipeline roles/);
  });

  it('names an unknown command and exits 2', async () => {
    const { streams, err } = io();
    expect(await main(['frobnicate'], streams)).toBe(2);
    expect(err()).toContain('unknown command "frobnicate"');
  });

  it("prints a command's usage with --help", async () => {
    const { streams, out } = io();
    expect(await main(['run', '--help'], streams)).toBe(0);
    expect(out()).toContain('usage: leadstream run [--role all|gateway|enricher|mapper|delivery');
  });

  it('refuses an unknown role before connecting to anything', async () => {
    const { streams } = io();
    await expect(main(['run', '--role', 'janitor'], streams)).rejects.toThrow(/unknown role "janitor"/);
  });
});
