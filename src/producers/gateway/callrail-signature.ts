import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { firstHeader, sameBytes, sha256SignatureMatches } from './hmac-signature.js';

export type SignatureCheck = 'valid' | 'missing' | 'invalid';

/**
 * Verifies a CallRail webhook against the company's signing token. CallRail sends `Signature`: base64
 * HMAC-SHA1 of the exact body bytes; the setup guide shows `x-callrail-signature: sha256=<hex>`
 * (HMAC-SHA256). Either is accepted, each checked against the same token, in constant time.
 */
export function checkCallRailSignature(
  rawBody: Buffer,
  headers: IncomingHttpHeaders,
  signingToken: string,
): SignatureCheck {
  const sha1 = firstHeader(headers, 'signature');
  const sha256 = firstHeader(headers, 'x-callrail-signature');
  if (sha1 === undefined && sha256 === undefined) return 'missing';
  if (sha1 !== undefined) {
    const expected = createHmac('sha1', signingToken).update(rawBody).digest();
    if (sameBytes(expected, Buffer.from(sha1.trim(), 'base64'))) return 'valid';
  }
  if (sha256 !== undefined && sha256SignatureMatches(sha256, signingToken, rawBody)) return 'valid';
  return 'invalid';
}
