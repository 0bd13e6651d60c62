import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { LeadstreamError } from '../../errors/leadstream-error.js';

/**
 * Salesforce refuses an assertion whose `exp` is more than three minutes ahead; two minutes leaves
 * room for clock skew between us and Salesforce.
 */
export const ASSERTION_LIFETIME_SECONDS = 120;

const PRODUCTION_AUDIENCE = 'https://login.salesforce.com';
const SANDBOX_AUDIENCE = 'https://test.salesforce.com';

/**
 * The `aud` claim for a login URL. Salesforce wants its authorization server's name, not the host the
 * assertion is posted to: login.salesforce.com for production orgs (also when the token is requested
 * from a My Domain login URL), test.salesforce.com for sandboxes; any other host (an Experience Cloud
 * site, a test double) is its own audience.
 */
export function salesforceAudience(loginUrl: string): string {
  const url = new URL(loginUrl);
  const host = url.hostname.toLowerCase();
  if (host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com')) return SANDBOX_AUDIENCE;
  if (host === 'login.salesforce.com' || host.endsWith('.my.salesforce.com')) return PRODUCTION_AUDIENCE;
  return url.origin;
}

/**
 * The tenant's private key. The guide's `openssl genrsa` writes PKCS#1 with older OpenSSL and PKCS#8
 * with newer, and a key stored through an environment variable often has its newlines escaped: all
 * of these are accepted.
 */
export function privateKeyFrom(pem: string): KeyObject {
  const text = pem.includes('\n') ? pem : pem.replace(/\\n/g, '\n');
  try {
    const key = createPrivateKey({ key: text.trim(), format: 'pem' });
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`a ${key.asymmetricKeyType} key, not RSA`);
    return key;
  } catch (error) {
    // The parser's message says what is wrong with the format; it never quotes the key.
    const reason = error instanceof Error ? error.message : String(error);
    throw new LeadstreamError(
      'config_error',
      `crm_config.private_key is not a PEM RSA private key (${reason})`,
      { details: { setting: 'crm_config.private_key' } },
    );
  }
}

export interface AssertionClaims {
  consumerKey: string;
  username: string;
  audience: string;
}

/** Signs the OAuth 2.0 JWT bearer assertion: RS256, iss = consumer key, sub = username, aud, exp. */
export function signJwtAssertion(claims: AssertionClaims, key: KeyObject, now: Date): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(claims.consumerKey)
    .setSubject(claims.username)
    .setAudience(claims.audience)
    .setExpirationTime(issuedAt + ASSERTION_LIFETIME_SECONDS)
    .sign(key);
}
