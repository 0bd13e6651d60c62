import { loadSettings } from '../../config/settings.js';
import { replayDeadLetters } from '../../dead-letters/replay-dead-letters.js';
import { EventProducer } from '../../kafka/event-producer.js';
import { createKafka } from '../../kafka/kafka-client.js';
import { createLogger } from '../../observability/logger.js';
import { Metrics } from '../../observability/metrics.js';
import { defineCommand } from '../define-command.js';

const usage = `usage: leadstream dlq replay [--error-type TYPE] [--tenant ID] [--stage STAGE] [--since ISO-TIME] [--dry-run]

Sends dead letters back to the topic they failed on (original key, value and headers), after their cause
was fixed. Reads the dead-letter topic (TOPIC_DEAD_LETTERS) up to its current end; commits nothing, so a
replay can be repeated. --dry-run only counts what would be replayed.`;

export const dlqReplayCommand = defineCommand({
  name: 'dlq replay',
  summary: 'send dead letters back to the topic they failed on',
  usage,
  options: {
    'error-type': { type: 'string' },
    tenant: { type: 'string' },
    stage: { type: 'string' },
    since: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
  positionals: false,
  async run({ values, refuse }, io) {
    const since = values.since === undefined ? undefined : new Date(values.since);
    if (since && Number.isNaN(since.getTime()))
      return refuse(`--since "${values.since}" is not an ISO date-time`);
    const settings = loadSettings();
    const logger = createLogger({ level: settings.LOG_LEVEL === 'info' ? 'warn' : settings.LOG_LEVEL });
    const kafka = createKafka({
      brokers: settings.KAFKA_BROKERS,
      clientId: `${settings.KAFKA_CLIENT_ID}-dlq`,
      logger,
    });
    const producer = new EventProducer(kafka, new Metrics({ processMetrics: false }), {
      maxRecordBytes: settings.KAFKA_MAX_RECORD_BYTES,
      logger,
    });
    await producer.connect();
    try {
      const report = await replayDeadLetters({
        kafka,
        producer,
        topic: settings.TOPIC_DEAD_LETTERS,
        selection: { errorType: values['error-type'], tenantId: values.tenant, stage: values.stage, since },
        dryRun: values['dry-run'],
      });
      io.stdout.write(`${JSON.stringify({ dry_run: values['dry-run'], ...report })}\n`);
      return 0;
    } finally {
      await producer.disconnect();
    }
  },
});
