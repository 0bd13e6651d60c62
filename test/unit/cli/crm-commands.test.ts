import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  return {
    streams: { stdout, stderr, stdin: new PassThrough() },
    err: () => stderr.read()?.toString() ?? '',
  };
}

describe('leadstream crm test / crm provision --tenant', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([['test'], ['provision']])('crm %s without --tenant prints its usage and exits 2', async (name) => {
    const { streams, err } = io();
    expect(await main(['crm', name], streams)).toBe(2);
    expect(err()).toContain(`usage: leadstream crm ${name} --tenant TENANT_ID`);
  });

  it.each([['test'], ['provision']])(
    'crm %s names a tenant it cannot find and where it looked',
    async (name) => {
      vi.stubEnv('TENANT_CONFIG_DIR', 'examples/tenants');
      vi.stubEnv('OUTBOUND_ALLOWED_HOSTS', '127.0.0.1:8089');
      const { streams, err } = io();
      expect(await main(['crm', name, '--tenant', 'tenant_nobody'], streams)).toBe(2);
      expect(err()).toBe(`leadstream crm ${name}: no tenant tenant_nobody in examples/tenants\n`);
    },
  );
});
