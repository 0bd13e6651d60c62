import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = 'valid' | 'missing' | 'invalid';

function sameBytes(expected: Buffer, given: Buffer): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Verifies a CallRail webhook against the company's signing token. CallRail sends `Signature`: base64
 * HMAC-SHA1 of the exact body bytes; the setup guide shows `x-callrail-signature: sha256=<hex>`
 * (HMAC-SHA256). Either is accepted, each checked against the same token, in constant time.
 */
export function checkCallRailSignature(
  rawBody: Buffer,
  headers: Record<string, string | string[] | undefined>,
  signingToken: string,
): SignatureCheck {
  const first = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const sha1 = first('signature');
  const sha256 = first('x-callrail-signature');
  if (sha1 === undefined && sha256 === undefined) return 'missing';
  if (sha1 !== undefined) {
    const expected = createHmac('sha1', signingToken).update(rawBody).digest();
    if (sameBytes(expected, Buffer.from(sha1.trim(), 'base64'))) return 'valid';
  }
  if (sha256 !== undefined) {
    const hex = /^sha256=([0-9a-fA-F]{64})$/.exec(sha256.trim())?.[1];
    const expected = createHmac('sha256', signingToken).update(rawBody).digest();
    if (hex !== undefined && sameBytes(expected, Buffer.from(hex, 'hex'))) return 'valid';
  }
  return 'invalid';
}
