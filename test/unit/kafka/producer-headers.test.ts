import { describe, expect, it } from 'vitest';
import { producerContext } from '../../../src/kafka/producer-headers.js';
import { Metrics } from '../../../src/observability/metrics.js';

describe('what leadstream reads from a producer’s headers', () => {
  it('takes a valid producer name and correlation id, as strings or bytes', () => {
    expect(
      producerContext({
        'leadstream-producer': Buffer.from('acme-chat-widget'),
        'leadstream-correlation-id': 'req-7f3a',
      }),
    ).toEqual({ producer: 'acme-chat-widget', correlationId: 'req-7f3a' });
  });

  it('reads W3C traceparent as the correlation id when there is no correlation header', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(producerContext({ traceparent }).correlationId).toBe(traceparent);
  });

  it('ignores a producer name that is no source name, and an id with spaces or control characters', () => {
    expect(
      producerContext({ 'leadstream-producer': 'Acme Chat', 'leadstream-correlation-id': 'a b\n' }),
    ).toEqual({ producer: 'unknown', correlationId: undefined });
    expect(producerContext(undefined)).toEqual({ producer: 'unknown', correlationId: undefined });
  });
});

describe('leadstream_upstream_rejections_total', () => {
  it('labels the first 50 producers by name and any later one as other', async () => {
    const metrics = new Metrics({ processMetrics: false });
    for (let n = 1; n <= 52; n += 1) metrics.countUpstreamRejection(`producer-${n}`, 'not_wire_format');
    metrics.countUpstreamRejection('producer-1', 'invalid_source_name');
    const text = await metrics.registry.getSingleMetricAsString('leadstream_upstream_rejections_total');
    expect(text).toContain('{producer="producer-50",reason="not_wire_format"} 1');
    expect(text).toContain('{producer="other",reason="not_wire_format"} 2');
    expect(text).toContain('{producer="producer-1",reason="invalid_source_name"} 1');
    expect(text).not.toContain('producer-51');
  });
});
