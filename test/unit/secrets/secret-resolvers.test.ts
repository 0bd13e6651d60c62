import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CachedSecretResolver } from '../../../src/secrets/cached-secret-resolver.js';
import { EnvSecretResolver } from '../../../src/secrets/env-secret-resolver.js';
import { FileSecretResolver } from '../../../src/secrets/file-secret-resolver.js';
import type { SecretResolver } from '../../../src/secrets/secret-resolver.js';

const REF = 'secret:projects/PROJECT_ID/secrets/hubspot-token-tenant-acme/versions/latest';

describe('secret references', () => {
  it("resolve the guide's references from an environment variable named after the secret", async () => {
    const resolver = new EnvSecretResolver({ LEADSTREAM_SECRET_HUBSPOT_TOKEN_TENANT_ACME: 'pat-na1-x' });
    expect(await resolver.resolve(REF)).toBe('pat-na1-x');
  });

  it('pass a literal value through unchanged', async () => {
    expect(await new EnvSecretResolver({}).resolve('12345678')).toBe('12345678');
  });

  it('name the variable to set when the secret is missing', async () => {
    await expect(new EnvSecretResolver({}).resolve(REF)).rejects.toMatchObject({
      type: 'secret_error',
      message:
        'secret hubspot-token-tenant-acme is not set: define LEADSTREAM_SECRET_HUBSPOT_TOKEN_TENANT_ACME',
    });
  });

  it('refuse a malformed reference instead of using it as a token', async () => {
    await expect(new EnvSecretResolver({}).resolve('secret:hubspot-token')).rejects.toMatchObject({
      type: 'secret_error',
    });
  });

  it('read a mounted Kubernetes secret file, without its trailing newline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'secrets-'));
    await writeFile(join(dir, 'hubspot-token-tenant-acme'), 'pat-na1-y\n');
    expect(await new FileSecretResolver(dir).resolve(REF)).toBe('pat-na1-y');
    await expect(new FileSecretResolver(join(dir, 'nope')).resolve(REF)).rejects.toMatchObject({
      type: 'secret_error',
    });
  });

  it('are fetched once per TTL, not per message', async () => {
    let calls = 0;
    const inner: SecretResolver = {
      resolve: async () => {
        calls += 1;
        return 'value';
      },
    };
    const cached = new CachedSecretResolver(inner, { ttlMs: 60_000 });
    await cached.resolve(REF);
    await cached.resolve(REF);
    expect(calls).toBe(1);
  });
});
