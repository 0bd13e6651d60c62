import { describe, expect, it } from 'vitest';
import { TokenCache } from '../../../../src/crm/kernel/token-cache.js';

interface Token {
  accessToken: string;
  expiresAt: number;
}

/** A token endpoint that counts its requests, and a clock the test moves. */
function tokenServer() {
  let issued = 0;
  const clock = { nowMs: 0 };
  const cache = new TokenCache<Token>({
    accessTokenOf: (token) => token.accessToken,
    isFresh: (token) => token.expiresAt > clock.nowMs,
  });
  const request = async (): Promise<Token> => {
    issued++;
    return { accessToken: `token-${issued}`, expiresAt: clock.nowMs + 3_600_000 };
  };
  return { cache, request, clock, issued: () => issued };
}

describe('the token cache every CRM that fetches a token shares', () => {
  it('asks once for concurrent deliveries of a tenant', async () => {
    const server = tokenServer();
    const tokens = await Promise.all(
      [1, 2, 3].map(() => server.cache.get('tenant_a', ['client', 'secret-1'], server.request)),
    );
    expect(tokens.map((token) => token.accessToken)).toEqual(['token-1', 'token-1', 'token-1']);
    expect(server.issued()).toBe(1);
  });

  it('gets a new token as soon as the secret is rotated, before the old one expires', async () => {
    const server = tokenServer();
    await server.cache.get('tenant_a', ['client', 'secret-1'], server.request);
    const rotated = await server.cache.get('tenant_a', ['client', 'secret-2'], server.request);
    expect(rotated.accessToken).toBe('token-2');
    expect(server.issued()).toBe(2);
  });

  it('renews an expired token, and one the CRM refused, but not another delivery’s newer one', async () => {
    const server = tokenServer();
    await server.cache.get('tenant_a', ['client', 'secret-1'], server.request);
    server.clock.nowMs = 3_600_001;
    expect((await server.cache.get('tenant_a', ['client', 'secret-1'], server.request)).accessToken).toBe(
      'token-2',
    );
    await server.cache.invalidate('tenant_a', 'token-1');
    expect((await server.cache.get('tenant_a', ['client', 'secret-1'], server.request)).accessToken).toBe(
      'token-2',
    );
    await server.cache.invalidate('tenant_a', 'token-2');
    expect((await server.cache.get('tenant_a', ['client', 'secret-1'], server.request)).accessToken).toBe(
      'token-3',
    );
  });
});
