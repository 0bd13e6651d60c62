import type { FastifyInstance } from 'fastify';
import type { TenantConfig } from '../../../config/tenants/tenant-config.js';
import { callRailCompanyOf, rawCallFromCallRail } from '../callrail-payload.js';
import { checkCallRailSignature } from '../callrail-signature.js';
import type { GatewayDeps, RouteDeps } from '../gateway-deps.js';
import { acceptedReplySchema, errorReplySchema, GatewayError } from '../gateway-error.js';
import { isJsonObject, type JsonObject, text } from '../input-values.js';
import { publishWithin } from '../publish-within.js';

const idType = { type: ['string', 'number'] };
const optionalText = { type: ['string', 'null'] };

/** The fields leadstream reads, with the types CallRail sends; the rest of the payload is kept as it is. */
const callRailBodySchema = {
  type: 'object',
  properties: {
    resource_id: idType,
    id: idType,
    call_id: idType,
    tenant_id: { type: 'string' },
    company_resource_id: idType,
    company_id: idType,
    callrail_company_id: idType,
    customer_phone_number: optionalText,
    caller_id: optionalText,
    customer_name: optionalText,
    customer_city: optionalText,
    customer_state: optionalText,
    duration: { type: ['string', 'number', 'null'] },
    answered: { type: ['boolean', 'string', 'null'] },
    voicemail: { type: ['boolean', 'string', 'null'] },
    recording: optionalText,
    transcription: optionalText,
    conversational_transcript: { type: ['string', 'array', 'null'] },
    start_time: optionalText,
    form_data: { type: ['object', 'null'] },
    timestamp: optionalText,
  },
  additionalProperties: true,
} as const;

async function tenantOf(deps: GatewayDeps, body: JsonObject): Promise<TenantConfig> {
  const tenantId = text(body, 'tenant_id');
  const company = callRailCompanyOf(body);
  if (tenantId === null && company === null) {
    throw new GatewayError(
      400,
      'validation_error',
      'the webhook names no tenant: tenant_id, company_resource_id or company_id is required',
      'company_id',
    );
  }
  const tenant =
    tenantId !== null
      ? await deps.tenants.get(tenantId)
      : await deps.tenants.findByCallRailCompany(company ?? '');
  if (!tenant?.callrail) {
    throw new GatewayError(
      404,
      'unknown_tenant',
      `no tenant receives CallRail webhooks for ${tenantId ?? company}`,
    );
  }
  return tenant;
}

function checkFreshness(body: JsonObject, windowSeconds: number, now: Date): void {
  const sent = Date.parse(text(body, 'timestamp') ?? '');
  if (Number.isNaN(sent) || Math.abs(now.getTime() - sent) > windowSeconds * 1000) {
    throw new GatewayError(
      401,
      'signature_error',
      `webhook timestamp is missing or older than ${windowSeconds} s`,
    );
  }
}

/** POST /v1/callrail/webhook: signed CallRail call and form events. */
export async function callRailWebhookRoute(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  app.post(
    '/v1/callrail/webhook',
    {
      schema: {
        body: callRailBodySchema,
        response: { 202: acceptedReplySchema, '4xx': errorReplySchema, '5xx': errorReplySchema },
      },
      // Tenant and signature come before schema validation: an unauthenticated caller learns nothing
      // about what a valid payload looks like.
      preValidation: async (request) => {
        const body = request.body;
        if (!isJsonObject(body))
          throw new GatewayError(400, 'validation_error', 'the body must be a JSON object');
        const tenant = await tenantOf(deps, body);
        const callrail = tenant.callrail;
        if (!callrail)
          throw new GatewayError(404, 'unknown_tenant', `tenant ${tenant.tenant_id} has no CallRail setup`);
        // Only bodies whose exact bytes were kept can be verified; nothing else stands in for them.
        const raw = deps.rawBodies.get(request);
        if (raw === undefined) {
          throw new GatewayError(415, 'unsupported_media_type', 'send application/json or form-urlencoded');
        }
        const token = await deps.secrets.resolve(callrail.signing_secret);
        const check = checkCallRailSignature(raw, request.headers, token);
        if (check !== 'valid') {
          const message =
            check === 'missing' ? 'the Signature header is missing' : 'the signature does not match';
          throw new GatewayError(401, 'signature_error', message);
        }
        if (callrail.freshness_window_seconds !== undefined) {
          checkFreshness(body, callrail.freshness_window_seconds, deps.clock.now());
        }
        deps.tenantsOf.set(request, tenant);
        deps.spendTenantBudget(tenant);
      },
    },
    async (request, reply) => {
      const tenant = deps.tenantsOf.get(request);
      if (!tenant || !isJsonObject(request.body))
        throw new GatewayError(400, 'validation_error', 'no tenant');
      const call = rawCallFromCallRail(request.body, tenant.tenant_id, deps.clock.now().getTime(), {
        maxTranscriptChars: deps.limits.maxTranscriptChars,
        onTruncated: (field) => deps.metrics.gatewayTruncations.inc({ field }),
      });
      await publishWithin(deps.publisher, call, deps.publishTimeoutMs ?? 5_000);
      request.log.info(
        { tenant_id: call.tenant_id, call_id: call.call_id, workflow_step: 'intake', status: 'accepted' },
        'CallRail webhook accepted',
      );
      return reply.code(202).send({ accepted: true, tenant_id: call.tenant_id, call_id: call.call_id });
    },
  );
}
