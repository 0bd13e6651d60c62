import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/config/settings.js';
import { Metrics } from '../../../src/observability/metrics.js';

describe('metrics settings', () => {
  it('labels per-tenant series by default, and not once METRICS_TENANT_LABEL=false', async () => {
    for (const [env, expected] of [
      [{}, 'leadstream_dead_letters_total{stage="mapper",error_type="config_error",tenant="t1"} 1'],
      [
        { METRICS_TENANT_LABEL: 'false' },
        'leadstream_dead_letters_total{stage="mapper",error_type="config_error"} 1',
      ],
    ] as const) {
      const metrics = new Metrics({
        processMetrics: false,
        tenantLabel: loadSettings(env).METRICS_TENANT_LABEL,
      });
      metrics.deadLetters.inc({ stage: 'mapper', error_type: 'config_error', ...metrics.tenant('t1') });
      expect(await metrics.registry.metrics()).toContain(expected);
    }
  });

  it('refuses a METRICS_TENANT_LABEL that is not true or false, naming it', () => {
    expect(() => loadSettings({ METRICS_TENANT_LABEL: 'no' })).toThrow(/METRICS_TENANT_LABEL/);
  });

  it('serves Node process metrics under the leadstream_ prefix', async () => {
    const text = await new Metrics().registry.metrics();
    expect(text).toContain('leadstream_process_cpu_seconds_total');
    expect(text).toContain('leadstream_nodejs_eventloop_lag_p99_seconds');
  });
});
