import { connect } from 'node:net';
import { type ISocketFactory, Kafka, type LogEntry, logLevel } from 'kafkajs';
import type { Logger } from '../observability/logger.js';

/** kafkajs logs through our logger, so its lines carry the same JSON shape and severity. */
function logCreator(logger: Logger) {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _name, ...extra } = log;
      const child = { kafka_namespace: namespace, ...extra };
      if (level === logLevel.ERROR) logger.error(child, message);
      else if (level === logLevel.WARN) logger.warn(child, message);
      else if (level === logLevel.INFO) logger.info(child, message);
      else logger.debug(child, message);
    };
}

export function createKafka(options: { brokers: string[]; clientId: string; logger: Logger }): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator: logCreator(options.logger),
    retry: { initialRetryTime: 300, retries: 8 },
    socketFactory: noDelaySockets,
  });
}

/**
 * kafkajs's own socket factory leaves Nagle's algorithm on. A produce request written while the broker
 * has not yet acknowledged the previous one then waits for the broker's delayed ACK (about 40 ms on
 * Linux): with the idempotent producer's one request in flight, every stage's writes moved in 40 ms
 * steps. Measured by bench/stages.ts (one-sentence transcript, 3,000 calls): 454 -> 920 calls/s.
 */
const noDelaySockets: ISocketFactory = ({ host, port, onConnect }) => {
  const socket = connect({ host, port, noDelay: true }, onConnect);
  socket.setKeepAlive(true, 60_000);
  return socket;
};
