import { readFile } from 'node:fs/promises';
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

  it('prints the version package.json declares with --version', async () => {
    const { streams, out } = io();
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    expect(await main(['--version'], streams)).toBe(0);
    expect(out()).toBe(`${version}\n`);
  });

  it.each([
    ['run', 'usage: leadstream run '],
    ['map', 'usage: leadstream map '],
    ['analyze', 'usage: leadstream analyze '],
    ['tenants validate', 'usage: leadstream tenants validate FILE...'],
    ['crm provision', 'usage: leadstream crm provision --tenant'],
    ['crm test', 'usage: leadstream crm test --tenant'],
    ['dlq replay', 'usage: leadstream dlq replay '],
    ['tenants', 'usage: leadstream tenants <command>'],
    ['crm', 'usage: leadstream crm <command>'],
    ['dlq', 'usage: leadstream dlq <command>'],
  ])('prints the usage of "%s" with --help and with -h, and exits 0', async (command, usage) => {
    for (const flag of ['--help', '-h']) {
      const { streams, out, err } = io();
      expect(await main([...command.split(' '), flag], streams)).toBe(0);
      expect(out().startsWith(usage)).toBe(true);
      expect(err()).toBe('');
    }
  });

  it("lists a group's commands with --help", async () => {
    const { streams, out } = io();
    expect(await main(['crm', '--help'], streams)).toBe(0);
    const usage = out();
    expect(usage).toMatch(/^ {2}test\s+check a tenant's CRM connectivity/m);
    expect(usage).toMatch(/^ {2}provision\s+create the CRM fields/m);
  });

  it.each([
    [['dlq'], 'leadstream dlq: missing command', 'usage: leadstream dlq <command>'],
    [['crm', 'frob'], 'leadstream crm: unknown command "frob"', 'usage: leadstream crm <command>'],
    [['--frob'], "leadstream: Unknown option '--frob'", 'usage: leadstream <command>'],
    [
      ['dlq', 'replay', '--bogus'],
      "leadstream dlq replay: Unknown option '--bogus'",
      'usage: leadstream dlq replay',
    ],
    [
      ['map', '--config'],
      "leadstream map: Option '--config <value>' argument missing",
      'usage: leadstream map',
    ],
    [
      ['map', '--config', 'tenant.json'],
      'leadstream map: missing --event ENRICHED.json',
      'usage: leadstream map',
    ],
    [['run', 'extra'], "leadstream run: Unexpected argument 'extra'", 'usage: leadstream run'],
    [
      ['analyze', 'one.txt', 'two.txt'],
      'leadstream analyze: one FILE at most, got 2',
      'usage: leadstream analyze',
    ],
    [
      ['tenants', 'validate'],
      'leadstream tenants validate: missing FILE',
      'usage: leadstream tenants validate',
    ],
    [
      ['dlq', 'replay', '--since', 'yesterday'],
      'leadstream dlq replay: --since "yesterday" is not an ISO date-time',
      'usage: leadstream dlq replay',
    ],
  ])(
    'refuses %j with one line naming what is wrong, then the usage, on stderr, and exits 2',
    async (argv, reason, usage) => {
      const { streams, out, err } = io();
      expect(await main(argv, streams)).toBe(2);
      const [first, second] = err().split('\n');
      expect(first?.startsWith(reason)).toBe(true);
      expect(second?.startsWith(usage)).toBe(true);
      expect(out()).toBe('');
    },
  );

  it('refuses an unknown role before connecting to anything', async () => {
    const { streams } = io();
    await expect(main(['run', '--role', 'janitor'], streams)).rejects.toThrow(/unknown role "janitor"/);
  });
});
