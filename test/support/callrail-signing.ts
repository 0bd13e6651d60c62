import { createHmac } from 'node:crypto';

/** Signs a body the way CallRail does: base64 HMAC-SHA1 of the exact bytes, keyed with the token. */
export function callRailSignature(body: string, token: string): string {
  return createHmac('sha1', token).update(body, 'utf8').digest('base64');
}
