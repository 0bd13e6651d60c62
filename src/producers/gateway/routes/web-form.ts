import type { FastifyInstance } from 'fastify';
import { authenticateForm } from '../form-authentication.js';
import type { RouteDeps } from '../gateway-deps.js';
import { acceptedReplySchema, errorReplySchema, GatewayError } from '../gateway-error.js';
import { isJsonObject } from '../input-values.js';
import { publishWithin } from '../publish-within.js';
import { rawCallFromWebForm } from '../web-form-payload.js';

/** POST /v1/forms/:tenant: lead forms on a tenant's own website, JSON or url-encoded. */
export async function webFormRoute(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  app.post<{ Params: { tenant: string } }>(
    '/v1/forms/:tenant',
    {
      schema: {
        params: {
          type: 'object',
          properties: { tenant: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,128}$' } },
          required: ['tenant'],
        },
        headers: {
          type: 'object',
          properties: {
            'x-leadstream-form-key': { type: 'string' },
            'x-leadstream-signature': { type: 'string' },
            'x-leadstream-timestamp': { type: 'string' },
          },
        },
        body: {
          type: 'object',
          properties: { submission_id: { type: ['string', 'number'] }, fields: { type: 'object' } },
          additionalProperties: true,
        },
        response: { 202: acceptedReplySchema, '4xx': errorReplySchema, '5xx': errorReplySchema },
      },
    },
    async (request, reply) => {
      const tenant = await deps.tenants.get(request.params.tenant);
      if (!tenant) throw new GatewayError(404, 'unknown_tenant', `unknown tenant ${request.params.tenant}`);
      deps.tenantsOf.set(request, tenant);
      await authenticateForm(
        tenant,
        { headers: request.headers, rawBody: deps.rawBodies.get(request) },
        deps.secrets,
        deps.clock.now().getTime(),
      );
      const perMinute = tenant.forms?.requests_per_minute;
      deps.spendTenantBudget(
        tenant,
        perMinute === undefined ? undefined : { requests: perMinute, perMs: 60_000 },
      );
      if (!isJsonObject(request.body))
        throw new GatewayError(400, 'validation_error', 'the body must be an object');
      const newId = deps.newId ?? (() => crypto.randomUUID());
      const call = rawCallFromWebForm(request.body, tenant.tenant_id, deps.clock.now().getTime(), newId, {
        maxTranscriptChars: deps.limits.maxTranscriptChars,
        onTruncated: (field) => deps.metrics.gatewayTruncations.inc({ field }),
      });
      await publishWithin(deps.publisher, call, deps.publishTimeoutMs ?? 5_000);
      request.log.info(
        { tenant_id: call.tenant_id, call_id: call.call_id, workflow_step: 'intake', status: 'accepted' },
        'web form accepted',
      );
      return reply.code(202).send({ accepted: true, tenant_id: call.tenant_id, call_id: call.call_id });
    },
  );
}
