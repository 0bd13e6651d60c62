import type { IncomingHttpHeaders } from 'node:http';
import type { TenantConfig } from '../../config/tenants/tenant-config.js';
import type { SecretResolver } from '../../secrets/secret-resolver.js';
import { GatewayError } from './gateway-error.js';
import { firstHeader, sameBytes, sha256SignatureMatches } from './hmac-signature.js';

/** How far a signed form's timestamp may be from the gateway's clock. */
const SIGNATURE_WINDOW_SECONDS = 300;

/** The page's origin: the Origin header, else the origin of the Referer a form post carries. */
function originOf(headers: IncomingHttpHeaders): string | undefined {
  const origin = firstHeader(headers, 'origin');
  if (origin !== undefined && origin !== 'null') return origin;
  const referer = firstHeader(headers, 'referer');
  if (referer === undefined) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

function checkSignature(secret: string, rawBody: Buffer, headers: IncomingHttpHeaders, nowMs: number): void {
  const timestamp = firstHeader(headers, 'x-leadstream-timestamp');
  const signature = firstHeader(headers, 'x-leadstream-signature');
  if (timestamp === undefined || !/^sha256=[0-9a-fA-F]{64}$/.test(signature?.trim() ?? '')) {
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
  if (!sha256SignatureMatches(signature, secret, `${timestamp}.`, rawBody)) {
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
    const given = firstHeader(request.headers, 'x-leadstream-form-key');
    if (given === undefined || !sameBytes(Buffer.from(expected), Buffer.from(given))) {
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
