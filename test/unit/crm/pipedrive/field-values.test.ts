import { describe, expect, it } from 'vitest';
import { findField } from '../../../../src/crm/pipedrive/field-catalog.js';
import { type FieldDefinition, fieldValue } from '../../../../src/crm/pipedrive/field-values.js';

function field(type: string, options: string[] = []): FieldDefinition {
  return {
    code: 'a'.repeat(40),
    name: 'Field',
    type,
    custom: true,
    options: options.map((label, i) => ({ id: 10 + i, label })),
  };
}

const value = (definition: FieldDefinition, v: string | number | boolean) =>
  fieldValue(definition, 'configured_name', 'person', v, 'EUR');

describe('fieldValue', () => {
  it('turns enumeration labels into option ids, whatever their case and separators', () => {
    const projectType = field('enum', ['Kitchen', 'Whole Home']);
    expect(value(projectType, 'whole_home')).toBe(11);
    expect(value(projectType, 'KITCHEN')).toBe(10);
    expect(value(projectType, 11)).toBe(11);
  });

  it('keeps the accents of Spanish labels: "baño" is Baño, not Bao, and "bano" finds Baño alone', () => {
    const room = field('enum', ['Bao', 'Baño', 'Cocina']);
    expect(value(room, 'baño')).toBe(11);
    expect(value(room, 'BAÑO')).toBe(11);
    expect(value(field('enum', ['Baño', 'Cocina']), 'bano')).toBe(10);
  });

  it('turns a list of labels into the ids of a multiple-option field', () => {
    expect(value(field('set', ['Kitchen', 'Bathroom', 'Basement']), 'kitchen, basement')).toEqual([10, 12]);
  });

  it('gives monetary fields the deal currency, dates their day and addresses an object', () => {
    expect(value(field('monetary'), 25000)).toEqual({ value: 25000, currency: 'EUR' });
    expect(value(field('date'), '2026-11-25T17:20:00.000Z')).toBe('2026-11-25');
    expect(value(field('address'), '1 Main St, Austin')).toEqual({ value: '1 Main St, Austin' });
    expect(value(field('varchar'), 92)).toBe('92');
  });

  it('refuses, naming the configured field, what the field type cannot take', () => {
    expect(() => value(field('double'), 'high')).toThrow(
      'Invalid value for field configured_name: expected number, got string',
    );
    expect(() => value(field('int'), 8.5)).toThrow('expected integer, got 8.5');
    expect(() => value(field('date'), 'tomorrow')).toThrow('expected date (YYYY-MM-DD), got string');
    expect(() => value(field('user'), 'owner@company.com')).toThrow('a user id (integer)');
    expect(() => value(field('enum', ['Kitchen']), 'garage')).toThrow(
      '"garage" is not one of its options (Kitchen)',
    );
  });
});

describe('findField', () => {
  const fields: FieldDefinition[] = [
    { ...field('double'), name: 'AI Lead Score', code: 'b'.repeat(40) },
    { ...field('varchar'), name: 'Name', code: 'name', custom: false },
  ];

  it('finds a custom field by its key, its name, or its name in snake case', () => {
    expect(findField(fields, 'b'.repeat(40))?.name).toBe('AI Lead Score');
    expect(findField(fields, 'ai lead score')?.name).toBe('AI Lead Score');
    expect(findField(fields, 'ai_lead_score')?.name).toBe('AI Lead Score');
  });

  it('does not take a system field for a custom one', () => {
    expect(findField(fields, 'name')).toBeUndefined();
  });

  it('refuses a loose match that fits two fields', () => {
    const twins = [...fields, { ...field('text'), name: 'AI-Lead-Score', code: 'c'.repeat(40) }];
    expect(findField(twins, 'ai_lead_score')).toBeUndefined();
  });
});
