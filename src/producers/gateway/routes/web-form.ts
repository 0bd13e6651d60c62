import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { GatewayDeps } from '../gateway-deps.js';
import { acceptedReplySchema, errorReplySchema, GatewayError } from '../gateway-error.js';
import { isJsonObject } from '../input-values.js';
import { publishWithin } from '../publish-within.js';
import { rawCallFromWebForm } from '../web-form-payload.js';

function sameKey(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** POST /v1/forms/:tenant: lead forms on a tenant's own website, JSON or url-encoded. */
export async function webFormRoute(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  app.post<{ Params: { tenant: string } }>(
    '/v1/forms/:tenant',
    {
      schema: {
        params: {
          type: 'object',
          properties: { tenant: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,128}$' } },
          required: ['tenant'],
        },
        headers: { type: 'object', properties: { 'x-leadstream-form-key': { type: 'string' } } },
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
      if (tenant.forms.api_key !== undefined) {
        const expected = await deps.secrets.resolve(tenant.forms.api_key);
        const given = request.headers['x-leadstream-form-key'];
        if (!sameKey(expected, Array.isArray(given) ? given[0] : given)) {
          throw new GatewayError(
            401,
            'signature_error',
            'the x-leadstream-form-key header is missing or wrong',
          );
        }
      }
      if (!isJsonObject(request.body))
        throw new GatewayError(400, 'validation_error', 'the body must be an object');
      const newId = deps.newId ?? (() => crypto.randomUUID());
      const call = rawCallFromWebForm(request.body, tenant.tenant_id, deps.clock.now().getTime(), newId);
      await publishWithin(deps.publisher, call, deps.publishTimeoutMs ?? 5_000);
      request.log.info(
        { tenant_id: call.tenant_id, call_id: call.call_id, workflow_step: 'intake', status: 'accepted' },
        'web form accepted',
      );
      return reply.code(202).send({ accepted: true, tenant_id: call.tenant_id, call_id: call.call_id });
    },
  );
}
