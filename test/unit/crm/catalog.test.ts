import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crmCatalog } from '../../../src/crm/catalog.js';

interface AvroField {
  name: string;
  type: { type: string; symbols?: string[]; default?: string };
}

const crmTypeSymbols = (): string[] => {
  const schema = JSON.parse(readFileSync('schemas/avro/CrmCommand.avsc', 'utf8')) as { fields: AvroField[] };
  return schema.fields.find((field) => field.name === 'crm_type')?.type.symbols ?? [];
};

describe('the CRM catalog', () => {
  it('has exactly the CRM types the CrmCommand schema carries, besides what an older reader makes of a newer one', () => {
    expect([...crmTypeSymbols()].sort()).toEqual([...Object.keys(crmCatalog), 'unknown'].sort());
  });

  it('keys every definition by the type its configuration names', () => {
    for (const [type, definition] of Object.entries(crmCatalog)) {
      expect(definition.type).toBe(type);
      expect(
        definition.configSchema.safeParse({ type }).error?.issues.map((issue) => issue.path[0]),
      ).not.toContain('type');
    }
  });
});
