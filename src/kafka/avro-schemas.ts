import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import avro from 'avsc';

/** The event types on leadstream's topics, each defined by a file in schemas/avro/. */
const EVENT_SCHEMAS = ['RawCall', 'EnrichedCall', 'CrmCommand'] as const;
export type EventSchemaName = (typeof EVENT_SCHEMAS)[number];

export interface LoadedSchema {
  name: EventSchemaName;
  type: avro.Type;
  /** Self-contained schema text (named types it uses inlined), as registered. */
  text: string;
}

/** schemas/ sits at the package root, found upward from here so src/ (tsx) and dist/src/ (node) both work. */
function schemaDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'schemas', 'avro');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('schemas/avro not found above the leadstream installation');
    dir = parent;
  }
}

/**
 * Parses every event schema, in dependency order, into one avsc registry so EnrichedCall can name
 * RawCall instead of repeating it. The registered text is the expanded form, because a Confluent
 * subject holds one self-contained schema.
 */
export function loadEventSchemas(directory = schemaDirectory()): ReadonlyMap<EventSchemaName, LoadedSchema> {
  const registry: Record<string, avro.Type> = {};
  const loaded = new Map<EventSchemaName, LoadedSchema>();
  for (const name of EVENT_SCHEMAS) {
    const json: unknown = JSON.parse(readFileSync(join(directory, `${name}.avsc`), 'utf8'));
    const type = avro.Type.forSchema(json as avro.Schema, { registry });
    loaded.set(name, { name, type, text: JSON.stringify(type.schema({ exportAttrs: true })) });
  }
  return loaded;
}
