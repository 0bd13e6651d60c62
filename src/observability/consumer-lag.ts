import type { Admin } from 'kafkajs';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/** A stage's consumer group and the topic it reads. */
export interface ConsumedTopic {
  stage: string;
  groupId: string;
  topic: string;
}

/**
 * Samples, every `intervalMs`, how far each stage's consumer group is behind: per partition, the log end
 * offset minus the group's committed offset (the whole retained log when the group committed nothing).
 * Each replica of a role reports its whole group, so replicas agree and dashboards take the max.
 */
export class ConsumerLagSampler {
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;

  constructor(
    private readonly options: {
      admin: Pick<Admin, 'fetchOffsets' | 'fetchTopicOffsets'>;
      consumed: readonly ConsumedTopic[];
      metrics: Metrics;
      logger: Logger;
      intervalMs: number;
    },
  ) {}

  async sample(): Promise<void> {
    const { admin, metrics } = this.options;
    for (const { stage, groupId, topic } of this.options.consumed) {
      const [committed, ends] = await Promise.all([
        admin.fetchOffsets({ groupId, topics: [topic] }),
        admin.fetchTopicOffsets(topic),
      ]);
      const committedBy = new Map(
        (committed.find((entry) => entry.topic === topic)?.partitions ?? []).map((p) => [
          p.partition,
          Number(p.offset),
        ]),
      );
      for (const end of ends) {
        const high = Number(end.high);
        const at = committedBy.get(end.partition) ?? -1;
        const from = at < 0 ? Number(end.low) : at;
        metrics.consumerLag.set({ stage, topic, partition: end.partition }, Math.max(0, high - from));
      }
    }
  }

  /** Samples now and then periodically; a failed sample is logged and the previous values stay. */
  start(): void {
    const tick = () => {
      if (this.sampling) return;
      this.sampling = this.sample()
        .catch((error: unknown) =>
          this.options.logger.warn(
            { status: 'lag_sample_failed', error_type: 'kafka_unavailable', err: error },
            'consumer lag not sampled',
          ),
        )
        .finally(() => {
          this.sampling = undefined;
        });
    };
    tick();
    this.timer = setInterval(tick, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sampling;
  }
}
