import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/config/settings.js';
import { CONTRACT_REJECTION_REASONS } from '../../../src/events/contract-rejection.js';
import { SOURCE_NAME_PATTERN } from '../../../src/events/raw-call.js';
import { loadEventSchemas } from '../../../src/kafka/avro-schemas.js';
import { PRODUCER_HEADERS } from '../../../src/kafka/producer-headers.js';

/**
 * docs/producing-events.md is what producer teams build from: it must say what the code does. Each
 * check reads the document and the thing it describes.
 */

const doc = readFileSync(new URL('../../../docs/producing-events.md', import.meta.url), 'utf8');

interface AvroField {
  name: string;
  type: unknown;
  default?: unknown;
}
const rawCall = JSON.parse(loadEventSchemas().get('RawCall')?.text ?? '{}') as {
  fields: AvroField[];
};

/** The rows of the markdown table that follows `heading`, as cells. */
function tableAfter(heading: string): string[][] {
  const start = doc.indexOf(heading);
  expect(start, `${heading} in the document`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of doc.slice(start).split('\n').slice(1)) {
    if (line.startsWith('|')) {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      if (!cells.every((cell) => /^-+$/.test(cell))) rows.push(cells);
    } else if (rows.length > 0) break;
  }
  return rows.slice(1);
}

describe('docs/producing-events.md against the RawCall schema and the code', () => {
  const fields = tableAfter('## Fields');
  const byName = new Map(fields.map((row) => [row[0]?.replace(/`/g, ''), row]));

  it('has one row per RawCall field, in the schema order, and no other', () => {
    expect([...byName.keys()]).toEqual(rawCall.fields.map((field) => field.name));
  });

  it('calls required exactly the fields without a default', () => {
    for (const field of rawCall.fields) {
      const required = byName.get(field.name)?.[1] ?? '';
      expect(required.startsWith('required'), `${field.name}: "${required}"`).toBe(
        field.default === undefined,
      );
    }
  });

  it('names every source_kind symbol in the source_kind row, and the default reader symbol', () => {
    const kind = rawCall.fields.find((field) => field.name === 'source_kind')?.type as {
      symbols: string[];
      default: string;
    };
    const row = byName.get('source_kind')?.join(' ') ?? '';
    for (const symbol of kind.symbols) expect(row).toContain(`\`${symbol}\``);
    expect(doc).toContain(`\`SourceKind\` has \`${kind.default}\``);
  });

  // The compatibility level the registry really holds is checked in producer-examples.test.ts.
  it('states the topic, key and subject (AvroSerde registers <topic>-value)', () => {
    const where = new Map(tableAfter('## Where and how').map((row) => [row[0], row[1] ?? '']));
    const topic = loadSettings({}).TOPIC_RAW_CALLS;
    expect(where.get('topic')).toContain(`\`${topic}\``);
    expect(where.get('key')).toContain('`tenant_id`');
    expect(where.get('schema subject')).toContain(`\`${topic}-value\``);
  });

  it('names the headers leadstream reads and the source_name pattern it checks', () => {
    const headers = tableAfter('## Headers leadstream reads').map((row) => row[0]?.replace(/`/g, ''));
    expect(headers).toEqual(Object.values(PRODUCER_HEADERS));
    const sourceName = byName.get('source_name')?.join(' ') ?? '';
    expect(sourceName).toContain('1 to 64 characters of `a-z`, `0-9`, `.`, `_`, `-`');
    expect(SOURCE_NAME_PATTERN.source).toBe('^[a-z0-9][a-z0-9._-]{0,63}$');
  });

  it('lists every rejection reason the metric can carry, and no other', () => {
    const paragraph = doc.slice(
      doc.indexOf('The reasons:'),
      doc.indexOf('\n\n', doc.indexOf('The reasons:')),
    );
    const listed = [...paragraph.matchAll(/`([a-z_]+)`/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual([...CONTRACT_REJECTION_REASONS].sort());
  });
});
