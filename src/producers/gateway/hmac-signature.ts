import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** A header's first value, as a sender that repeats a header means the first. */
export function firstHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Equal bytes, compared in constant time so that a guess learns nothing from how long a refusal took. */
export function sameBytes(expected: Buffer, given: Buffer): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Whether `sha256=<hex>` (the header's value) is the HMAC-SHA256 of the parts, one after the other,
 * keyed with the secret. A header of any other form never matches.
 */
export function sha256SignatureMatches(
  header: string | undefined,
  secret: string,
  ...parts: Array<string | Buffer>
): boolean {
  const hex = /^sha256=([0-9a-fA-F]{64})$/.exec(header?.trim() ?? '')?.[1];
  if (hex === undefined) return false;
  const hmac = createHmac('sha256', secret);
  for (const part of parts) hmac.update(part);
  return sameBytes(hmac.digest(), Buffer.from(hex, 'hex'));
}
