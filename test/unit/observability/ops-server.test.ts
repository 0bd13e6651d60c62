import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { buildOpsServer, type ReadinessCheck } from '../../../src/observability/ops-server.js';

function server(checks: ReadinessCheck[], shuttingDown = false) {
  const metrics = new Metrics({ processMetrics: false });
  metrics.messagesConsumed.inc({ stage: 'enricher', topic: 'raw-calls' });
  return buildOpsServer({
    metrics,
    logger: createLogger({ level: 'silent' }),
    checks: () => checks,
    shuttingDown: () => shuttingDown,
  });
}

const consumer = (ready: boolean, alive: boolean): ReadinessCheck => ({
  name: 'enricher',
  ready: () => ready,
  alive: () => alive,
});

describe('ops endpoints', () => {
  it('serves Prometheus metrics', async () => {
    const response = await server([]).inject('/metrics');
    expect(response.headers['content-type']).toMatch(/text\/plain/);
    expect(response.body).toContain(
      'leadstream_messages_consumed_total{stage="enricher",topic="raw-calls"} 1',
    );
  });

  it('is ready only when every component is and it is not shutting down', async () => {
    expect((await server([consumer(true, true)]).inject('/readyz')).statusCode).toBe(200);
    const joining = await server([consumer(false, true)]).inject('/readyz');
    expect(joining.statusCode).toBe(503);
    expect(joining.json()).toEqual({ status: 'not_ready', checks: { enricher: false } });
    expect((await server([consumer(true, true)], true).inject('/readyz')).statusCode).toBe(503);
  });

  it('reports unhealthy once a consumer crashed for good, so the process gets restarted', async () => {
    expect((await server([consumer(false, true)]).inject('/healthz')).statusCode).toBe(200);
    expect((await server([consumer(false, false)]).inject('/healthz')).statusCode).toBe(503);
  });
});
