import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadEventSchemas } from '../../../src/kafka/avro-schemas.js';

/** Every enum in a schema, `name=default` (`name=` without one), however deeply it is nested. */
function enumsOf(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) enumsOf(item, out);
  else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    if (record.type === 'enum')
      out.push(`${String(record.name).split('.').at(-1)}=${String(record.default ?? '')}`);
    for (const value of Object.values(record)) enumsOf(value, out);
  }
  return out;
}

describe('the schema text leadstream registers', () => {
  it("keeps every enum's default symbol, which lets a registered reader decode a newer writer's symbol", () => {
    for (const [name, schema] of loadEventSchemas()) {
      const declared = enumsOf(JSON.parse(readFileSync(`schemas/avro/${name}.avsc`, 'utf8')));
      const registered = new Set(enumsOf(JSON.parse(schema.text)));
      for (const entry of declared) expect(registered, `${name}: ${entry}`).toContain(entry);
    }
  });
});
