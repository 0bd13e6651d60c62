import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type avro from 'avsc';
import { loadEventSchemas } from '../kafka/avro-schemas.js';
import { recordSize } from '../kafka/record-size.js';
import type { RawCall } from './raw-call.js';
import { readRawCallJson } from './raw-call-json.js';

/** One thing wrong with one line of a JSON-lines file: its 1-based line number and the field at fault. */
export interface LineProblem {
  line: number;
  /** The field's JSON path (`marketing.utm_source`), `(root)` for the line as a whole. */
  path: string;
  message: string;
}

/** A line holding a record: the call it describes, or what is wrong with it. */
export type RawCallLine =
  | { line: number; call: RawCall; problems: [] }
  | { line: number; problems: LineProblem[] };

/** The Confluent wire format's prefix: magic byte and 4-byte schema id. */
const WIRE_PREFIX_BYTES = 5;

/**
 * Reads a file of RawCalls as JSON lines, one at a time however large the file is (blank lines are
 * skipped), each checked as the JSON shape of schemas/avro/RawCall.avsc and as the Avro record it
 * becomes: a value Avro cannot hold (a duration over 2^31) is named here, not refused mid-publish.
 */
export async function* readRawCallLines(
  file: string,
  maxRecordBytes: number,
  /** Sees every line's text, blank ones included. */
  onText?: (text: string) => void,
  /** Lines up to this one (a resumed publish's) are counted, not read. */
  skipThrough = 0,
): AsyncGenerator<RawCallLine> {
  const type = rawCallType();
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    onText?.(text);
    if (line <= skipThrough || text.trim() === '') continue;
    yield checkLine(text, line, type, maxRecordBytes);
  }
}

function checkLine(text: string, line: number, type: avro.Type, maxRecordBytes: number): RawCallLine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { line, problems: [{ line, path: '(root)', message: `not JSON: ${(error as Error).message}` }] };
  }
  const read = readRawCallJson(json);
  if (read.call === undefined) {
    return { line, problems: read.issues.map(({ path, message }) => ({ line, path, message })) };
  }
  const call = read.call;
  const invalid: string[] = [];
  if (!type.isValid(call, { errorHook: (path) => invalid.push(path.join('.') || '(root)') })) {
    return {
      line,
      problems: invalid.map((path) => ({ line, path, message: 'out of the range the Avro schema holds' })),
    };
  }
  const bytes = recordSize({ key: call.tenant_id, value: type.toBuffer(call) }) + WIRE_PREFIX_BYTES;
  if (bytes > maxRecordBytes) {
    return {
      line,
      problems: [
        {
          line,
          path: '(root)',
          message: `the record would take ${bytes} bytes, over the ${maxRecordBytes}-byte limit (KAFKA_MAX_RECORD_BYTES)`,
        },
      ],
    };
  }
  return { line, call, problems: [] };
}

let cachedType: avro.Type | undefined;
function rawCallType(): avro.Type {
  cachedType ??= loadEventSchemas().get('RawCall')?.type;
  if (cachedType === undefined) throw new Error('schemas/avro/RawCall.avsc is not loaded');
  return cachedType;
}

export interface RawCallFileCheck {
  /** Lines holding a valid record. */
  records: number;
  /** Lines with at least one problem. */
  invalidLines: number;
  /** The file's content (its lines, line endings aside): a resumed publish refuses a file changed since. */
  digest: string;
}

export interface RawCallFileRules {
  maxRecordBytes: number;
  /** Every record must belong to this tenant (the one a publish names). */
  tenantId?: string;
}

/**
 * Checks a whole file, reporting every problem as it is found: each line's own, a record of another
 * tenant than the one named, and a call_id already used for the same tenant on an earlier line (the
 * same idempotency key: downstream would take the later record for a redelivery of the first).
 */
export async function checkRawCallFile(
  file: string,
  rules: RawCallFileRules,
  onProblem: (problem: LineProblem) => void,
): Promise<RawCallFileCheck> {
  const hash = createHash('sha256');
  const firstLineOf = new Map<string, number>();
  let records = 0;
  let invalidLines = 0;
  const digest = (text: string) => hash.update(text).update('\n');
  for await (const read of readRawCallLines(file, rules.maxRecordBytes, digest)) {
    const problems: LineProblem[] = [...read.problems];
    if ('call' in read) {
      const { call } = read;
      if (rules.tenantId !== undefined && call.tenant_id !== rules.tenantId) {
        problems.push({
          line: read.line,
          path: 'tenant_id',
          message: `"${call.tenant_id}" is not the tenant published for (--tenant ${rules.tenantId})`,
        });
      }
      const key = `${call.tenant_id}\u0000${call.call_id}`;
      const first = firstLineOf.get(key);
      if (first === undefined) firstLineOf.set(key, read.line);
      else {
        problems.push({
          line: read.line,
          path: 'call_id',
          message: `"${call.call_id}" is already the call_id of line ${first} for tenant ${call.tenant_id}: the same idempotency key, read downstream as a redelivery of that call`,
        });
      }
    }
    for (const problem of problems) onProblem(problem);
    if (problems.length > 0) invalidLines += 1;
    else records += 1;
  }
  return { records, invalidLines, digest: hash.digest('hex') };
}
