import { STATUS_CODES } from 'node:http';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { TenantConfig } from '../../config/tenants/tenant-config.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { RateLimit } from '../../rate-limits/token-bucket.js';
import { checkBodyShape, jsonDepthWithin } from './body-shape.js';
import { type GatewayDeps, type GatewayLimits, gatewayLimits } from './gateway-deps.js';
import { GatewayError } from './gateway-error.js';
import { RequestBudget } from './request-budget.js';
import { callRailWebhookRoute } from './routes/callrail-webhook.js';
import { webFormRoute } from './routes/web-form.js';

/** Where a schema error points: `/duration` → duration, a missing property → its name. */
function fieldOf(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const path = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = (first.params as { missingProperty?: unknown }).missingProperty;
  return path !== '' ? path : typeof missing === 'string' ? missing : undefined;
}

function replyFor(error: FastifyError | GatewayError, limits: GatewayLimits): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error.validation) {
    const field = fieldOf(error);
    const message = `${field ?? error.validationContext ?? 'request'} ${error.validation[0]?.message ?? 'is invalid'}`;
    return new GatewayError(400, 'validation_error', message, field);
  }
  if (error.statusCode === 413) {
    return new GatewayError(
      413,
      'payload_too_large',
      `the body is larger than ${limits.bodyLimitBytes} bytes`,
    );
  }
  if (error.statusCode === 415) {
    return new GatewayError(415, 'unsupported_media_type', 'send application/json or form-urlencoded');
  }
  // Fastify's own refusals of a malformed request (an empty JSON body, a bad header) are the caller's.
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new GatewayError(400, 'validation_error', error.message);
  }
  return new GatewayError(500, 'internal_error', 'internal error');
}

/**
 * The HTTP gateway: CallRail webhooks and web forms in, RawCalls on Kafka out. It answers 202 only once
 * Kafka acknowledged the write; every refusal is JSON with a typed code and, when one is at fault, the
 * field. It does not listen: the caller picks host and port.
 */
export function buildGateway(deps: GatewayDeps): FastifyInstance {
  const limits = gatewayLimits(deps.limits);
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'gateway' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: limits.bodyLimitBytes,
    trustProxy: limits.trustProxy,
    // Types are checked as sent: "180" stays a string for the normaliser to judge, never silently coerced.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allowUnionTypes: true } },
  });
  const rawBodies = new WeakMap<FastifyRequest, Buffer>();
  const tenantsOf = new WeakMap<FastifyRequest, TenantConfig>();
  const budgets = {
    clients: new RequestBudget(limits.clientBudget, () => deps.clock.now().getTime()),
    tenants: new RequestBudget(limits.tenantBudget, () => deps.clock.now().getTime()),
  };

  // Signatures cover the exact bytes sent, so every body the gateway accepts keeps them beside the
  // parsed value; a content type without a parser here (text/plain included) is refused with 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    rawBodies.set(request, raw);
    try {
      const text = raw.toString('utf8');
      if (!jsonDepthWithin(text, limits.bodyShape.maxDepth)) {
        throw new GatewayError(
          400,
          'validation_error',
          `the body: nested deeper than ${limits.bodyShape.maxDepth} levels`,
        );
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new GatewayError(
          400,
          'validation_error',
          `the body is not valid JSON: ${(error as Error).message}`,
        );
      }
      checkBodyShape(parsed, limits.bodyShape);
      done(null, parsed);
    } catch (error) {
      done(error as GatewayError, undefined);
    }
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (request, body, done) => {
      const raw = body as Buffer;
      rawBodies.set(request, raw);
      try {
        const parsed = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
        checkBodyShape(parsed, limits.bodyShape);
        done(null, parsed);
      } catch (error) {
        done(error as GatewayError, undefined);
      }
    },
  );

  // Before the body is read: a client over its budget costs no parsing, no secret and no Kafka write.
  app.addHook('onRequest', async (request) => {
    const waitMs = budgets.clients.take(request.ip);
    if (waitMs > 0) {
      throw new GatewayError(429, 'rate_limited', 'too many requests from this client; retry later', {
        retryAfterSeconds: Math.ceil(waitMs / 1000),
      });
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    deps.metrics.gatewayRequests.inc({
      route: request.routeOptions.url ?? 'unmatched',
      status_code: reply.statusCode,
    });
  });

  // A path nobody serves is the caller's typo, not a failure of ours: answered, never logged.
  app.setNotFoundHandler(async (request, reply) => {
    const message = `no route ${request.method} ${request.url.split('?')[0]}`;
    return reply.code(404).send({ statusCode: 404, error: 'Not Found', code: 'not_found', message });
  });

  app.setErrorHandler(async (thrown: FastifyError | GatewayError, request, reply) => {
    const error = replyFor(thrown, limits);
    const tenant = tenantsOf.get(request)?.tenant_id;
    // A LeadstreamError from a dependency (a secret, the publisher) answers a bare 500 but logs its own type.
    const failure = thrown instanceof LeadstreamError ? thrown : error;
    const fields = {
      tenant_id: tenant,
      workflow_step: 'intake',
      status: 'rejected',
      error_type: failure.type,
    };
    if (error.statusCode >= 500) request.log.error({ ...fields, err: thrown }, error.message);
    else request.log.warn(fields, error.message);
    if (error.statusCode === 503) reply.header('retry-after', '5');
    if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
    return reply.code(error.statusCode).send({
      statusCode: error.statusCode,
      error: STATUS_CODES[error.statusCode] ?? 'Error',
      code: error.type,
      message: error.message,
      ...(error.field === undefined ? {} : { field: error.field }),
    });
  });

  const spendTenantBudget = (tenant: TenantConfig, limit?: RateLimit): void => {
    const waitMs = budgets.tenants.take(tenant.tenant_id, limit);
    if (waitMs > 0) {
      throw new GatewayError(
        429,
        'rate_limited',
        `too many requests for tenant ${tenant.tenant_id}; retry later`,
        {
          retryAfterSeconds: Math.ceil(waitMs / 1000),
        },
      );
    }
  };
  const routeDeps = { ...deps, limits, rawBodies, tenantsOf, spendTenantBudget };
  app.register(async (scope) => callRailWebhookRoute(scope, routeDeps));
  app.register(async (scope) => webFormRoute(scope, routeDeps));
  return app;
}
