import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ConsumerLagSampler } from '../../../src/observability/consumer-lag.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { waitFor } from '../../support/wait-for.js';

type LagAdmin = Pick<Admin, 'fetchOffsets' | 'fetchTopicOffsets'>;

/** Offsets as a broker reports them: committed per group, and low/high watermarks per partition. */
function adminWith(committed: Record<number, string>, ends: Array<{ low: string; high: string }>): LagAdmin {
  return {
    fetchOffsets: async ({ topics }) =>
      (topics ?? []).map((topic) => ({
        topic,
        partitions: ends.map((_, partition) => ({
          partition,
          offset: committed[partition] ?? '-1',
          metadata: null,
        })),
      })),
    fetchTopicOffsets: async () =>
      ends.map((end, partition) => ({ partition, offset: end.high, high: end.high, low: end.low })),
  };
}

async function lagAfterSample(admin: LagAdmin): Promise<string> {
  const metrics = new Metrics({ processMetrics: false });
  const sampler = new ConsumerLagSampler({
    admin,
    consumed: [{ stage: 'delivery', groupId: 'leadstream-delivery', topic: 'crm-commands' }],
    metrics,
    logger: createLogger({ level: 'silent' }),
    intervalMs: 60_000,
  });
  await sampler.sample();
  return metrics.registry.metrics();
}

describe('consumer lag', () => {
  it('is the log end offset minus the committed offset, per partition', async () => {
    const text = await lagAfterSample(
      adminWith({ 0: '90', 1: '40' }, [
        { low: '0', high: '100' },
        { low: '0', high: '40' },
      ]),
    );
    expect(text).toContain(
      'leadstream_consumer_lag_messages{stage="delivery",topic="crm-commands",partition="0"} 10',
    );
    expect(text).toContain(
      'leadstream_consumer_lag_messages{stage="delivery",topic="crm-commands",partition="1"} 0',
    );
  });

  it('counts the whole retained log while the group has committed nothing', async () => {
    const text = await lagAfterSample(adminWith({}, [{ low: '25', high: '75' }]));
    expect(text).toContain(
      'leadstream_consumer_lag_messages{stage="delivery",topic="crm-commands",partition="0"} 50',
    );
  });

  it('keeps sampling after a failed sample, and stops when asked', async () => {
    let calls = 0;
    const flaky: LagAdmin = {
      ...adminWith({ 0: '1' }, [{ low: '0', high: '3' }]),
      fetchTopicOffsets: async () => {
        calls += 1;
        if (calls === 1) throw new Error('broker away');
        return [{ partition: 0, offset: '3', high: '3', low: '0' }];
      },
    };
    const metrics = new Metrics({ processMetrics: false });
    const sampler = new ConsumerLagSampler({
      admin: flaky,
      consumed: [{ stage: 'mapper', groupId: 'leadstream-mapper', topic: 'enriched-calls' }],
      metrics,
      logger: createLogger({ level: 'silent' }),
      intervalMs: 10,
    });
    sampler.start();
    // Waits for a sample after the failed one, however late a loaded machine runs the timer.
    await waitFor('a sample after the failed one', () => (calls >= 2 ? true : undefined), 5_000);
    await sampler.stop();
    const stoppedAt = calls;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toBe(stoppedAt);
    expect(await metrics.registry.metrics()).toContain(
      'leadstream_consumer_lag_messages{stage="mapper",topic="enriched-calls",partition="0"} 2',
    );
  });
});
