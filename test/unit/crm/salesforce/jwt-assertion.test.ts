import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  ASSERTION_LIFETIME_SECONDS,
  privateKeyFrom,
  salesforceAudience,
  signJwtAssertion,
} from '../../../../src/crm/salesforce/jwt-assertion.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('JWT bearer assertion', () => {
  it('is RS256 with iss, sub, aud and an exp under three minutes', async () => {
    const now = new Date('2026-03-02T15:00:00Z');
    const jwt = await signJwtAssertion(
      { consumerKey: '3MVG9key', username: 'api@company.com', audience: 'https://login.salesforce.com' },
      privateKey,
      now,
    );
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256' });
    const claims = decodeJwt(jwt);
    expect(claims).toMatchObject({
      iss: '3MVG9key',
      sub: 'api@company.com',
      aud: 'https://login.salesforce.com',
    });
    expect((claims.exp ?? 0) - now.getTime() / 1000).toBe(ASSERTION_LIFETIME_SECONDS);
    expect(ASSERTION_LIFETIME_SECONDS).toBeLessThanOrEqual(180);
    await expect(jwtVerify(jwt, publicKey, { currentDate: now })).resolves.toBeDefined();
  });

  it.each([
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
    ['https://test.salesforce.com', 'https://test.salesforce.com'],
    ['https://acme.my.salesforce.com', 'https://login.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'https://test.salesforce.com'],
    ['http://127.0.0.1:8091', 'http://127.0.0.1:8091'],
  ])('uses the audience %s → %s', (loginUrl, audience) => {
    expect(salesforceAudience(loginUrl)).toBe(audience);
  });

  it('accepts PKCS#1 and PKCS#8 keys, with newlines escaped as an environment variable keeps them', () => {
    const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(privateKeyFrom(pkcs1).asymmetricKeyType).toBe('rsa');
    expect(privateKeyFrom(pkcs8.replace(/\n/g, '\\n')).asymmetricKeyType).toBe('rsa');
  });

  it('refuses a key that is no PEM RSA private key as a configuration error, without quoting it', () => {
    expect(() => privateKeyFrom('not a key')).toThrow(
      expect.objectContaining({ type: 'config_error', message: expect.not.stringContaining('not a key') }),
    );
  });
});
