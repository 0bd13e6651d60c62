import { loadSettings } from '../../config/settings.js';
import { createLogger } from '../../observability/logger.js';
import {
  type FileProgress,
  fileProgressFor,
  publishRawCallFile,
} from '../../producers/raw-call-file/publish-raw-call-file.js';
import { defineCommand } from '../define-command.js';
import { INTERRUPTED_EXIT_CODE, listenForInterrupt } from '../interrupt.js';
import { ProgressLine } from '../progress-line.js';
import { openRawCallsProducer, type RawCallsProducer } from '../raw-calls-producer.js';
import { checkFile } from './events-validate.js';

const usage = `usage: leadstream events publish FILE --tenant TENANT_ID [--progress-file PATH] [--restart]
                                [--batch N]

Publishes the RawCalls of FILE (JSON lines, as \`events validate\` reads them) to raw-calls, the way the
gateway does: Avro under raw-calls-value, key = tenant_id, idempotent producer, acks=all. FILE is
checked whole first: when any line is invalid, or a record belongs to another tenant than --tenant,
every problem is printed (FILE:LINE: FIELD: what) and nothing is published (exit 1).

Progress (done/total, rate, ETA) goes to standard error, redrawn in place on a terminal, a line every
10 s otherwise; a summary to standard output at the end.

Resumable: after each batch of N records (default 500) acknowledged by Kafka, the last line done is
written to the progress file (default FILE.progress). Ctrl-C (SIGINT) or SIGTERM finishes the batch in
flight, records it and exits 130; the same command again publishes from the next line, so nothing is
sent twice. Only a process killed outright (SIGKILL, a crash) between Kafka's acknowledgement and
that write sends a batch again, which the pipeline takes for a redelivery of each call's idempotency
key (tenant_id + call_id). A file changed since its progress file was written is refused; --restart
ignores the progress file and publishes the whole file again. A file fully published is not
published again without --restart.`;

export const eventsPublishCommand = defineCommand({
  name: 'events publish',
  summary: 'publish a JSON-lines file of RawCalls to raw-calls, resumably, with progress',
  usage,
  options: {
    tenant: { type: 'string' },
    'progress-file': { type: 'string' },
    restart: { type: 'boolean', default: false },
    batch: { type: 'string' },
  },
  positionals: true,
  async run({ values, positionals, refuse }, io) {
    if (positionals.length !== 1) return refuse(positionals.length === 0 ? 'missing FILE' : 'one FILE only');
    if (values.tenant === undefined) return refuse('missing --tenant TENANT_ID');
    const batch = values.batch === undefined ? 500 : Number(values.batch);
    if (!Number.isInteger(batch) || batch < 1)
      return refuse(`--batch "${values.batch}" is not a whole number ≥ 1`);
    const file = positionals[0] as string;
    const tenantId = values.tenant;
    const settings = loadSettings();

    const check = await checkFile(file, io, { maxRecordBytes: settings.KAFKA_MAX_RECORD_BYTES, tenantId });
    if (check === undefined) return 1;
    if (check.invalidLines > 0) {
      io.stderr.write(`${file}: ${check.invalidLines} invalid record(s): nothing published\n`);
      return 1;
    }

    const progressFile = fileProgressFor(values['progress-file'] ?? `${file}.progress`);
    const topic = settings.TOPIC_RAW_CALLS;
    const fresh: FileProgress = {
      file,
      digest: check.digest,
      tenant_id: tenantId,
      topic,
      last_line: 0,
      published: 0,
      total: check.records,
      done: false,
    };
    const earlier = values.restart ? undefined : await progressFile.read();
    if (earlier !== undefined) {
      const differs =
        earlier.digest !== check.digest
          ? 'FILE has changed since'
          : earlier.tenant_id !== tenantId
            ? `it was for tenant ${earlier.tenant_id}`
            : earlier.topic !== topic
              ? `it was for topic ${earlier.topic}`
              : undefined;
      if (differs !== undefined) {
        io.stderr.write(
          `${progressFile.path}: a publish of ${earlier.file} was recorded, but ${differs}: ` +
            'pass --restart to publish the whole file anyway, or --progress-file for another\n',
        );
        return 1;
      }
      if (earlier.done) {
        io.stdout.write(
          `${file}: already published (${earlier.published} records, ${progressFile.path}); --restart publishes it again\n`,
        );
        return 0;
      }
    }
    const from = earlier ?? fresh;
    if (check.records === 0) {
      io.stdout.write(`${file}: no record to publish\n`);
      return 0;
    }

    const logger = createLogger({ level: settings.LOG_LEVEL === 'info' ? 'warn' : settings.LOG_LEVEL });
    const started = Date.now();
    if (from.last_line > 0) {
      io.stderr.write(`resuming after line ${from.last_line} (${from.published} published before)\n`);
    }
    const interrupt = listenForInterrupt(io);
    let producer: RawCallsProducer | undefined;
    try {
      producer = await openRawCallsProducer(settings, logger, 'events-publish');
      // Started once connected, so the rate and ETA are of publishing alone.
      const progress = new ProgressLine(io.stderr, { label: 'published', total: check.records });
      progress.resume(from.published);
      const result = await publishRawCallFile({
        file,
        publisher: producer.publisher,
        progress: progressFile,
        from,
        maxRecordBytes: settings.KAFKA_MAX_RECORD_BYTES,
        signal: interrupt.signal,
        window: batch,
        onProgress: (published) => progress.update(published),
      });
      progress.update(result.state.published);
      progress.finish();
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const before = from.published > 0 ? ` (${from.published} by an earlier run)` : '';
      if (result.error) {
        io.stderr.write(
          `${file}: Kafka did not acknowledge the record after line ${result.state.last_line}: ${result.error.message}\n` +
            `published ${result.published} in this run${before}; the same command resumes after line ${result.state.last_line}\n`,
        );
        return 1;
      }
      if (result.interrupted) {
        io.stdout.write(
          `interrupted: ${result.state.published} of ${check.records} records of ${file} published to ${producer.topic} for ${tenantId}, up to line ${result.state.last_line}; ` +
            `the same command publishes the rest (${progressFile.path})\n`,
        );
        return INTERRUPTED_EXIT_CODE;
      }
      io.stdout.write(
        `published ${result.published} records of ${file} to ${producer.topic} for ${tenantId} in ${seconds} s${before}; ${result.state.published}/${check.records} done\n`,
      );
      return 0;
    } finally {
      interrupt.release();
      await producer?.close();
    }
  },
});
