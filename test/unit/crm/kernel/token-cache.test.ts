import { describe, expect, it } from 'vitest';
import { TokenCache } from '../../../../src/crm/kernel/token-cache.js';

interface Credentials {
  clientId: string;
  secret: string;
}

interface Token {
  accessToken: string;
  expiresAt: number;
}

/** A CRM's token endpoint that counts its requests, on a clock the test moves. */
class CountingTokens extends TokenCache<Credentials, Token> {
  issued = 0;
  nowMs = 0;

  protected async request(): Promise<Token> {
    this.issued++;
    return { accessToken: `token-${this.issued}`, expiresAt: this.nowMs + 3_600_000 };
  }

  protected dependsOn({ clientId, secret }: Credentials) {
    return [clientId, secret];
  }

  protected accessTokenOf(token: Token): string {
    return token.accessToken;
  }

  protected override isFresh(token: Token): boolean {
    return token.expiresAt > this.nowMs;
  }
}

const FIRST = { clientId: 'client', secret: 'secret-1' };

describe('the token cache every CRM that fetches a token shares', () => {
  it('asks once for concurrent deliveries of a tenant', async () => {
    const tokens = new CountingTokens();
    const got = await Promise.all([1, 2, 3].map(() => tokens.get('tenant_a', FIRST)));
    expect(got.map((token) => token.accessToken)).toEqual(['token-1', 'token-1', 'token-1']);
    expect(tokens.issued).toBe(1);
  });

  it('gets a new token as soon as the secret is rotated, before the old one expires', async () => {
    const tokens = new CountingTokens();
    await tokens.get('tenant_a', FIRST);
    const rotated = await tokens.get('tenant_a', { ...FIRST, secret: 'secret-2' });
    expect(rotated.accessToken).toBe('token-2');
    expect(tokens.issued).toBe(2);
  });

  it('renews an expired token, and one the CRM refused, but not another delivery’s newer one', async () => {
    const tokens = new CountingTokens();
    await tokens.get('tenant_a', FIRST);
    tokens.nowMs = 3_600_001;
    expect((await tokens.get('tenant_a', FIRST)).accessToken).toBe('token-2');
    await tokens.invalidate('tenant_a', 'token-1');
    expect((await tokens.get('tenant_a', FIRST)).accessToken).toBe('token-2');
    await tokens.invalidate('tenant_a', 'token-2');
    expect((await tokens.get('tenant_a', FIRST)).accessToken).toBe('token-3');
  });
});
