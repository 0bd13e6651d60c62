import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/** A named component: ready to take traffic (a consumer in its group), alive (not crashed for good). */
export interface ReadinessCheck {
  name: string;
  ready(): boolean;
  alive(): boolean;
}

const statusSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'not_ready'] },
    checks: { type: 'object', additionalProperties: { type: 'boolean' } },
  },
  required: ['status'],
} as const;

/**
 * Every role's operational endpoints: /metrics for Prometheus, /healthz (every component alive: restart
 * the process if not) and /readyz (send it traffic: every check holds and it is not shutting down).
 */
export function buildOpsServer(options: {
  metrics: Metrics;
  logger: Logger;
  checks: () => readonly ReadinessCheck[];
  shuttingDown: () => boolean;
}): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger.child({ component: 'ops' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  });

  app.get('/metrics', { schema: { response: { 200: { type: 'string' } } } }, async (_request, reply) => {
    reply.header('content-type', options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });

  app.get(
    '/healthz',
    { schema: { response: { 200: statusSchema, 503: statusSchema } } },
    async (_request, reply) => {
      const checks = Object.fromEntries(options.checks().map((check) => [check.name, check.alive()]));
      const alive = Object.values(checks).every(Boolean);
      reply.code(alive ? 200 : 503);
      return { status: alive ? ('ok' as const) : ('not_ready' as const), checks };
    },
  );

  app.get(
    '/readyz',
    { schema: { response: { 200: statusSchema, 503: statusSchema } } },
    async (_request, reply) => {
      const checks = Object.fromEntries(options.checks().map((check) => [check.name, check.ready()]));
      const ready = !options.shuttingDown() && Object.values(checks).every(Boolean);
      reply.code(ready ? 200 : 503);
      return { status: ready ? ('ok' as const) : ('not_ready' as const), checks };
    },
  );

  return app;
}
