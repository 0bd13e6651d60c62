import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/config/settings.js';
import {
  GoogleSecretManagerResolver,
  type SecretVersionAccessor,
} from '../../../src/secrets/google-secret-manager-resolver.js';
import { secretResolverFor } from '../../../src/secrets/secret-resolver-for-settings.js';
import { failureOf } from '../../support/failure-of.js';

const REF = 'secret:projects/acme-prod/secrets/hubspot-token-tenant-acme/versions/latest';
const VALUE = 'pat-na1-0f1e2d3c';

/** A Google gRPC failure as the client throws it: `code`, `details` and "<code> <NAME>: <details>". */
function grpcError(code: number, name: string, details: string): Error {
  return Object.assign(new Error(`${code} ${name}: ${details}`), { code, details, metadata: {} });
}

/** Secret Manager for one project: versions by resource name; records every name asked for. */
function fakeSecretManager(versions: Record<string, string>, fail?: Error) {
  const asked: string[] = [];
  const client: SecretVersionAccessor = {
    async accessSecretVersion({ name }) {
      asked.push(name);
      if (fail) throw fail;
      const value = versions[name];
      if (value === undefined) {
        throw grpcError(5, 'NOT_FOUND', `Secret [${name}] not found or has no versions.`);
      }
      return [{ name, payload: { data: Buffer.from(value, 'utf8') } }, undefined, undefined];
    },
  };
  return { client, asked };
}

const NAME = 'projects/acme-prod/secrets/hubspot-token-tenant-acme/versions/latest';

describe('Google Secret Manager resolver', () => {
  it("reads the version the guide's reference names, as text", async () => {
    const google = fakeSecretManager({ [NAME]: VALUE });
    expect(await new GoogleSecretManagerResolver(google.client).resolve(REF)).toBe(VALUE);
    expect(google.asked).toEqual([NAME]);
  });

  it('returns a literal value as written without asking Google', async () => {
    const google = fakeSecretManager({});
    expect(await new GoogleSecretManagerResolver(google.client).resolve('12345678')).toBe('12345678');
    expect(google.asked).toEqual([]);
  });

  it('reports a missing secret as permanent, naming the reference', async () => {
    const google = fakeSecretManager({});
    const error = await failureOf(new GoogleSecretManagerResolver(google.client).resolve(REF));
    expect(error.type).toBe('secret_error');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(REF);
    expect(error.message).toContain('does not exist');
  });

  it('reports a denied secret as permanent, saying which role is missing and no value', async () => {
    const denied = grpcError(
      7,
      'PERMISSION_DENIED',
      `Permission 'secretmanager.versions.access' denied for resource '${NAME}'`,
    );
    const google = fakeSecretManager({ [NAME]: VALUE }, denied);
    const error = await failureOf(new GoogleSecretManagerResolver(google.client).resolve(REF));
    expect(error).toMatchObject({ type: 'secret_error', retryable: false });
    expect(error.message).toContain(REF);
    expect(error.message).toContain('roles/secretmanager.secretAccessor');
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(VALUE);
  });

  it('retries when Google is unavailable', async () => {
    const google = fakeSecretManager({}, grpcError(14, 'UNAVAILABLE', 'Connection dropped'));
    const error = await failureOf(new GoogleSecretManagerResolver(google.client).resolve(REF));
    expect(error).toMatchObject({ type: 'secret_error', retryable: true });
  });

  it('refuses a malformed reference without asking Google', async () => {
    const google = fakeSecretManager({});
    await expect(
      new GoogleSecretManagerResolver(google.client).resolve('secret:hubspot-token'),
    ).rejects.toMatchObject({ type: 'secret_error' });
    expect(google.asked).toEqual([]);
  });

  it('is chosen by SECRETS_BACKEND=google and asks Google once per TTL, not per message', async () => {
    const google = fakeSecretManager({ [NAME]: VALUE });
    // A TTL no loaded machine outlasts between two resolves in a row, so the second one is the cache's.
    const settings = loadSettings({ SECRETS_BACKEND: 'google', SECRETS_CACHE_TTL_MS: '2000' });
    const resolver = secretResolverFor(settings, { googleClient: google.client });
    expect(await resolver.resolve(REF)).toBe(VALUE);
    expect(await resolver.resolve(REF)).toBe(VALUE);
    expect(google.asked).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await resolver.resolve(REF);
    expect(google.asked).toHaveLength(2);
  });
});
