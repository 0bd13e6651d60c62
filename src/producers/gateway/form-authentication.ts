import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { TenantConfig } from '../../config/tenants/tenant-config.js';
import type { SecretResolver } from '../../secrets/secret-resolver.js';
import { GatewayError } from './gateway-error.js';

/** How far a signed form's timestamp may be from the gateway's clock. */
const SIGNATURE_WINDOW_SECONDS = 300;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sameText(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The page's origin: the Origin header, else the origin of the Referer a form post carries. */
function originOf(headers: IncomingHttpHeaders): string | undefined {
  const origin = header(headers, 'origin');
  if (origin !== undefined && origin !== 'null') return origin;
  const referer = header(headers, 'referer');
  if (referer === undefined) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

function checkSignature(secret: string, rawBody: Buffer, headers: IncomingHttpHeaders, nowMs: number): void {
  const timestamp = header(headers, 'x-leadstream-timestamp');
  const signature = /^sha256=([0-9a-fA-F]{64})$/.exec(
    header(headers, 'x-leadstream-signature')?.trim() ?? '',
  );
  if (timestamp === undefined || signature?.[1] === undefined) {
    throw new GatewayError(
      401,
      'signature_error',
      'the x-leadstream-signature (sha256=<hex>) or x-leadstream-timestamp header is missing',
    );
  }
  const sentAt = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) * 1000 : Number.NaN;
  if (Number.isNaN(sentAt) || Math.abs(nowMs - sentAt) > SIGNATURE_WINDOW_SECONDS * 1000) {
    throw new GatewayError(
      401,
      'signature_error',
      `x-leadstream-timestamp must be Unix seconds within ${SIGNATURE_WINDOW_SECONDS} s of now`,
    );
  }
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  const given = Buffer.from(signature[1], 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new GatewayError(401, 'signature_error', 'the x-leadstream-signature does not match the body');
  }
}

/**
 * Checks a web-form post against the tenant's `forms` block: every way it sets must hold. A tenant
 * without one accepts no forms (403), so a new tenant's form endpoint is never open by default.
 */
export async function authenticateForm(
  tenant: TenantConfig,
  request: { headers: IncomingHttpHeaders; rawBody: Buffer | undefined },
  secrets: SecretResolver,
  nowMs: number,
): Promise<void> {
  const forms = tenant.forms;
  if (forms === undefined) {
    throw new GatewayError(403, 'forbidden', `tenant ${tenant.tenant_id} accepts no web forms`);
  }
  if (forms.api_key !== undefined) {
    const expected = await secrets.resolve(forms.api_key);
    if (!sameText(expected, header(request.headers, 'x-leadstream-form-key'))) {
      throw new GatewayError(401, 'signature_error', 'the x-leadstream-form-key header is missing or wrong');
    }
  }
  if (forms.hmac_secret !== undefined) {
    if (request.rawBody === undefined) {
      throw new GatewayError(415, 'unsupported_media_type', 'send application/json or form-urlencoded');
    }
    checkSignature(await secrets.resolve(forms.hmac_secret), request.rawBody, request.headers, nowMs);
  }
  if (forms.allowed_origins !== undefined) {
    const origin = originOf(request.headers);
    if (origin === undefined || !forms.allowed_origins.includes(origin)) {
      throw new GatewayError(
        403,
        'forbidden',
        origin === undefined
          ? 'the form post names no Origin (or Referer) this tenant allows'
          : `origin ${origin.slice(0, 200)} may not post this tenant's forms`,
      );
    }
  }
}
