import { loadSettings } from '../../config/settings.js';
import { checkRawCallFile, type LineProblem, type RawCallFileCheck } from '../../events/raw-call-lines.js';
import type { CliIO } from '../cli-command.js';
import { defineCommand } from '../define-command.js';

/** FILE:LINE: PATH: what is wrong, the form compilers use, so an editor can jump to the line. */
export function printProblem(io: CliIO, file: string) {
  return ({ line, path, message }: LineProblem) => io.stderr.write(`${file}:${line}: ${path}: ${message}\n`);
}

/**
 * Checks a file as `events validate` and `events publish` do; undefined once it said on stderr that the
 * file cannot be read.
 */
export async function checkFile(
  file: string,
  io: CliIO,
  rules: { maxRecordBytes: number; tenantId?: string },
): Promise<RawCallFileCheck | undefined> {
  try {
    return await checkRawCallFile(file, rules, printProblem(io, file));
  } catch (error) {
    const { code, message } = error as { code?: unknown; message: string };
    if (typeof code !== 'string' || !code.startsWith('E')) throw error;
    io.stderr.write(`${file}: cannot be read: ${message}\n`);
    return undefined;
  }
}

export const eventsValidateCommand = defineCommand({
  name: 'events validate',
  summary: 'check a JSON-lines file of RawCalls, naming every problem with its line and field',
  usage: `usage: leadstream events validate FILE [--tenant TENANT_ID]

Checks FILE, one RawCall a line as JSON (schemas/avro/RawCall.avsc's fields; times as epoch
milliseconds or ISO date-times; blank lines skipped), without sending anything. Every problem is
printed on standard error as FILE:LINE: FIELD: what is wrong: a line that is not JSON, a missing or
mistyped field, an unknown key (with the one probably meant), a value the Avro schema cannot hold, a
record over KAFKA_MAX_RECORD_BYTES, a call_id used twice for a tenant (the same idempotency key), and
with --tenant a record of another tenant. Reads the file as a stream: any size.
Exits 0 when every record is valid, 1 otherwise (or when the file has no record).`,
  options: { tenant: { type: 'string' } },
  positionals: true,
  async run({ values, positionals, refuse }, io) {
    if (positionals.length !== 1) return refuse(positionals.length === 0 ? 'missing FILE' : 'one FILE only');
    const file = positionals[0] as string;
    const settings = loadSettings();
    const check = await checkFile(file, io, {
      maxRecordBytes: settings.KAFKA_MAX_RECORD_BYTES,
      ...(values.tenant === undefined ? {} : { tenantId: values.tenant }),
    });
    if (check === undefined) return 1;
    const { records, invalidLines } = check;
    if (invalidLines > 0) {
      io.stdout.write(`${file}: ${invalidLines} of ${records + invalidLines} records invalid\n`);
      return 1;
    }
    if (records === 0) {
      io.stdout.write(`${file}: no record (every line is blank)\n`);
      return 1;
    }
    io.stdout.write(`${file}: ok, ${records} record${records === 1 ? '' : 's'}\n`);
    return 0;
  },
});
