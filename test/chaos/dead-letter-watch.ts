import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { DEAD_LETTER_HEADERS } from '../../src/kafka/dead-letter-writer.js';

export interface SeenDeadLetter {
  /** leadstream-error-type; "(none)" when the header is missing, which is itself a failure. */
  reason: string;
  stage: string;
  callId: string | undefined;
  tenantId: string | undefined;
  retryable: string | undefined;
}

function header(value: Buffer | string | (Buffer | string)[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** Reads the run's dead-letter topic from its start for the whole run, through broker restarts. */
export class DeadLetterWatch {
  readonly letters: SeenDeadLetter[] = [];
  private consumer: Consumer | undefined;

  constructor(
    private readonly brokers: string[],
    private readonly topic: string,
    private readonly groupId: string,
  ) {}

  async start(): Promise<void> {
    const kafka = new Kafka({
      clientId: 'leadstream-chaos',
      brokers: this.brokers,
      logLevel: logLevel.NOTHING,
    });
    this.consumer = kafka.consumer({ groupId: this.groupId });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const h = message.headers ?? {};
        this.letters.push({
          reason: header(h[DEAD_LETTER_HEADERS.errorType]) ?? '(none)',
          stage: header(h[DEAD_LETTER_HEADERS.stage]) ?? '(none)',
          callId: header(h[DEAD_LETTER_HEADERS.callId]),
          tenantId: header(h[DEAD_LETTER_HEADERS.tenantId]),
          retryable: header(h[DEAD_LETTER_HEADERS.retryable]),
        });
      },
    });
  }

  callIds(): Set<string> {
    return new Set(this.letters.flatMap((letter) => (letter.callId === undefined ? [] : [letter.callId])));
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
