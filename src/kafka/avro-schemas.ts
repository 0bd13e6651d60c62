import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import avro from 'avsc';

/** The event types on leadstream's topics, each defined by a file in schemas/avro/. */
const EVENT_SCHEMAS = ['RawCall', 'EnrichedCall', 'CrmCommand', 'Notification'] as const;
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
  const enumDefaults = new Map<string, string>();
  for (const name of EVENT_SCHEMAS) {
    const json: unknown = JSON.parse(readFileSync(join(directory, `${name}.avsc`), 'utf8'));
    collectEnumDefaults(json, undefined, enumDefaults);
    const type = avro.Type.forSchema(json as avro.Schema, { registry });
    const exported: unknown = type.schema({ exportAttrs: true });
    restoreEnumDefaults(exported, enumDefaults);
    loaded.set(name, { name, type, text: JSON.stringify(exported) });
  }
  return loaded;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fullNameOf(node: Record<string, unknown>, namespace: string | undefined): string | undefined {
  if (typeof node.name !== 'string') return undefined;
  if (node.name.includes('.')) return node.name;
  const own = typeof node.namespace === 'string' ? node.namespace : namespace;
  return own ? `${own}.${node.name}` : node.name;
}

/** Every enum's default symbol in a schema file, by full name. */
function collectEnumDefaults(node: unknown, namespace: string | undefined, into: Map<string, string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectEnumDefaults(item, namespace, into);
    return;
  }
  if (!isObject(node)) return;
  const name = fullNameOf(node, namespace);
  if (node.type === 'enum' && name !== undefined && typeof node.default === 'string')
    into.set(name, node.default);
  const inner = name?.includes('.') ? name.slice(0, name.lastIndexOf('.')) : namespace;
  for (const value of Object.values(node)) collectEnumDefaults(value, inner, into);
}

/**
 * avsc leaves an enum's `default` out of the schema it exports, but that default is what lets a reader
 * with this schema, registered, decode a symbol a newer writer added: the registered text must keep it.
 */
function restoreEnumDefaults(node: unknown, defaults: ReadonlyMap<string, string>, namespace?: string): void {
  if (Array.isArray(node)) {
    for (const item of node) restoreEnumDefaults(item, defaults, namespace);
    return;
  }
  if (!isObject(node)) return;
  const name = fullNameOf(node, namespace);
  if (node.type === 'enum' && name !== undefined && node.default === undefined) {
    const symbol = defaults.get(name);
    if (symbol !== undefined) node.default = symbol;
  }
  const inner = name?.includes('.') ? name.slice(0, name.lastIndexOf('.')) : namespace;
  for (const value of Object.values(node)) restoreEnumDefaults(value, defaults, inner);
}
