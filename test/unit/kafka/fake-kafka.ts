import kafkajs, {
  type IHeaders,
  type Kafka,
  type Message,
  type PartitionerArgs,
  type Producer,
  type ProducerBatch,
  type ProducerConfig,
} from 'kafkajs';
import { RECORD_BATCH_OVERHEAD_BYTES, recordSize } from '../../../src/kafka/record-size.js';
import { partitionMetadata } from '../../support/partition-keys.js';

const { KafkaJSProtocolError } = kafkajs;

export interface StoredRecord {
  key: string;
  value: string;
  headers: IHeaders;
  producerId: number;
}

interface PartitionState {
  lastSequence: number;
  /** The last five batches' first and last sequence numbers, as the broker keeps them to spot retries. */
  batches: Array<[number, number]>;
}

/** A broker answer the test makes the next produce request get for a partition. */
export interface InjectedFault {
  topic: string;
  partition: number;
  type: 'UNKNOWN_PRODUCER_ID' | 'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH';
  /** How many requests in a row get it; Infinity for every one. */
  times: number;
}

function protocolError(type: string): Error {
  return new KafkaJSProtocolError(
    Object.assign(new Error(`broker answered ${type}`), { type, retriable: false }),
  );
}

/**
 * A one-broker Kafka cluster as an idempotent kafkajs producer sees it. The broker handles each partition
 * of a produce request on its own, as Kafka does: a batch over the topic's max.message.bytes is refused
 * whole, a batch whose first sequence number is not the one expected is refused as out of order, and a
 * batch repeating one of the producer's last five batches is acknowledged without being written again.
 * The producer does what kafkajs's sendMessages does: one batch per partition, sequence numbers taken
 * before the request and rolled back for every partition when any partition's answer is an error.
 */
export class FakeKafka {
  readonly logs = new Map<string, StoredRecord[]>();
  readonly requests: Array<{ producerId: number; partitions: string[] }> = [];
  readonly producersCreated: number[] = [];
  faults: InjectedFault[] = [];
  /** Fresh producers whose connect fails, in a row. */
  failingConnects = 0;
  private readonly producerState = new Map<string, PartitionState>();
  private nextProducerId = 1000;

  constructor(private readonly topics: Record<string, { partitions: number; maxMessageBytes: number }>) {}

  records(topic: string, partition: number): StoredRecord[] {
    return this.logs.get(`${topic}/${partition}`) ?? [];
  }

  all(topic: string): StoredRecord[] {
    const { partitions } = this.topicConfig(topic);
    return Array.from({ length: partitions }, (_, partition) => this.records(topic, partition)).flat();
  }

  asKafka(): Pick<Kafka, 'producer'> {
    return { producer: (config?: ProducerConfig) => this.producer(config ?? {}) };
  }

  private topicConfig(topic: string) {
    const config = this.topics[topic];
    if (config === undefined) throw new Error(`unknown topic ${topic}`);
    return config;
  }

  private producer(config: ProducerConfig): Producer {
    const partitioner = config.createPartitioner?.();
    if (partitioner === undefined) throw new Error('the fake needs the partitioner the producer is given');
    let producerId: number | undefined;
    const sequences = new Map<string, number>();
    const sendBatch = async ({ topicMessages = [] }: ProducerBatch) => {
      if (producerId === undefined) throw new kafkajs.KafkaJSError('The producer is disconnected');
      const batches = new Map<string, { topic: string; partition: number; messages: Message[] }>();
      for (const { topic, messages } of topicMessages) {
        const { partitions } = this.topicConfig(topic);
        const metadata = partitionMetadata(partitions);
        for (const message of messages) {
          const args: PartitionerArgs = { topic, partitionMetadata: metadata, message };
          const partition = partitioner(args);
          const where = `${topic}/${partition}`;
          const batch = batches.get(where) ?? { topic, partition, messages: [] };
          batch.messages.push(message);
          batches.set(where, batch);
        }
      }
      const firstSequences = new Map<string, number>();
      for (const [where, { messages }] of batches) {
        const first = sequences.get(where) ?? 0;
        firstSequences.set(where, first);
        sequences.set(where, first + messages.length);
      }
      this.requests.push({ producerId, partitions: [...batches.keys()] });
      const errors: string[] = [];
      for (const [where, batch] of batches) {
        const error = this.append(producerId, where, batch, firstSequences.get(where) ?? 0);
        if (error !== undefined) errors.push(error);
      }
      const [first] = errors;
      if (first !== undefined) {
        for (const [where, { messages }] of batches)
          sequences.set(where, (sequences.get(where) ?? 0) - messages.length);
        throw protocolError(first);
      }
      return [];
    };
    const producer = {
      connect: async () => {
        if (this.failingConnects > 0) {
          this.failingConnects -= 1;
          throw new kafkajs.KafkaJSConnectionError('Connection error: connect ECONNREFUSED');
        }
        producerId = this.nextProducerId++;
        this.producersCreated.push(producerId);
      },
      disconnect: async () => {
        producerId = undefined;
      },
      sendBatch,
    };
    return producer as unknown as Producer;
  }

  /** The broker's handling of one partition's batch: an error type, or undefined once written or deduplicated. */
  private append(
    producerId: number,
    where: string,
    batch: { topic: string; partition: number; messages: Message[] },
    firstSequence: number,
  ): string | undefined {
    const fault = this.faults.find(({ topic, partition }) => `${topic}/${partition}` === where);
    if (fault !== undefined && fault.times > 0) {
      fault.times -= 1;
      return fault.type;
    }
    const bytes =
      RECORD_BATCH_OVERHEAD_BYTES +
      batch.messages.reduce(
        (sum, { key, value, headers }) =>
          sum + recordSize({ key: String(key), value: Buffer.from(value ?? ''), headers }),
        0,
      );
    if (bytes > this.topicConfig(batch.topic).maxMessageBytes) return 'MESSAGE_TOO_LARGE';
    const stateKey = `${producerId}/${where}`;
    const state = this.producerState.get(stateKey) ?? { lastSequence: -1, batches: [] };
    const lastSequence = firstSequence + batch.messages.length - 1;
    if (state.batches.some(([first, last]) => first === firstSequence && last === lastSequence))
      return undefined;
    if (firstSequence !== state.lastSequence + 1) return 'OUT_OF_ORDER_SEQUENCE_NUMBER';
    const log = this.logs.get(where) ?? [];
    for (const { key, value, headers } of batch.messages)
      log.push({ key: String(key), value: String(value), headers: headers ?? {}, producerId });
    this.logs.set(where, log);
    state.lastSequence = lastSequence;
    state.batches = [...state.batches, [firstSequence, lastSequence] as [number, number]].slice(-5);
    this.producerState.set(stateKey, state);
    return undefined;
  }
}
