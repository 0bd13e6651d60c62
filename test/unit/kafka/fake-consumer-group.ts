import type { ConsumerRunConfig, EachBatchPayload, IHeaders, KafkaMessage } from 'kafkajs';

type Listener = (event: { payload: unknown }) => void;

/**
 * The consumer side of kafkajs as a stage runner sees it, driven by the test: it joins the group with an
 * assignment, hands batches to the runner's handler, and records what the runner commits, pauses and
 * resumes. Like kafkajs, it keeps a pause across rebalances and refuses nothing.
 */
export class FakeConsumerGroup {
  readonly events = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' };
  /** Offsets committed, per partition, in order. */
  readonly commits = new Map<number, number[]>();
  readonly paused = new Set<number>();
  private eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;
  private readonly listeners = new Map<string, Listener[]>();
  private nextOffset = new Map<number, number>();

  constructor(private readonly topic: string) {}

  on(event: string, listener: Listener): () => void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return () => undefined;
  }
  async connect(): Promise<void> {}
  async subscribe(): Promise<void> {}
  async disconnect(): Promise<void> {}
  async run(config: ConsumerRunConfig): Promise<void> {
    this.eachBatch = config.eachBatch;
  }
  pause(topics: Array<{ topic: string; partitions?: number[] }>): void {
    for (const { partitions = [] } of topics) for (const partition of partitions) this.paused.add(partition);
  }
  resume(topics: Array<{ topic: string; partitions?: number[] }>): void {
    for (const { partitions = [] } of topics)
      for (const partition of partitions) this.paused.delete(partition);
  }
  async commitOffsets(offsets: Array<{ topic: string; partition: number; offset: string }>): Promise<void> {
    for (const { partition, offset } of offsets) {
      this.commits.set(partition, [...(this.commits.get(partition) ?? []), Number(offset)]);
    }
  }

  /** The offset the group would restart the partition from. */
  committed(partition: number): number | undefined {
    return this.commits.get(partition)?.at(-1);
  }

  /** A rebalance ended: this member now owns these partitions of the topic. */
  join(partitions: number[]): void {
    for (const listener of this.listeners.get(this.events.GROUP_JOIN) ?? []) {
      listener({ payload: { memberAssignment: { [this.topic]: partitions } } });
    }
  }

  /**
   * Hands the runner one batch of the partition, the messages after the last one handed (or from
   * `fromOffset`, as kafkajs fetches again from the last commit after a rebalance). Returns the offsets
   * the runner resolved.
   */
  async deliver(
    partition: number,
    values: Array<{ key: string; value: string; headers?: IHeaders | undefined }>,
    fromOffset?: number,
  ): Promise<string[]> {
    if (this.eachBatch === undefined) throw new Error('the runner did not start consuming');
    const first = fromOffset ?? this.nextOffset.get(partition) ?? 0;
    const messages: KafkaMessage[] = values.map(({ key, value, headers }, index) => ({
      key: Buffer.from(key),
      value: Buffer.from(value),
      headers: headers ?? {},
      offset: String(first + index),
      timestamp: '0',
      attributes: 0,
    }));
    this.nextOffset.set(partition, first + messages.length);
    const resolved: string[] = [];
    const last = String(first + messages.length - 1);
    await this.eachBatch({
      batch: {
        topic: this.topic,
        partition,
        highWatermark: String(first + messages.length),
        messages,
        isEmpty: () => messages.length === 0,
        firstOffset: () => String(first),
        lastOffset: () => last,
        offsetLag: () => '0',
        offsetLagLow: () => '0',
      },
      resolveOffset: (offset) => {
        resolved.push(offset);
      },
      heartbeat: async () => undefined,
      pause: () => () => undefined,
      commitOffsetsIfNecessary: async () => undefined,
      uncommittedOffsets: () => ({ topics: [] }),
      isRunning: () => true,
      isStale: () => false,
    });
    return resolved;
  }
}
