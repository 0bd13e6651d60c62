import type { FieldDefinition, ObjectDefinition } from './object-definitions.js';
import { fieldErrors, restError, type SalesforceErrorEntry } from './salesforce-errors.js';

export type FieldValue = string | number | boolean | null;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

export interface ValidationContext {
  /** Whether an id names an existing record of one of these objects. */
  exists(id: string, objects: string[]): boolean;
}

function notOfType(field: FieldDefinition, value: unknown): SalesforceErrorEntry {
  return {
    message: `${field.label}: value not of required type: ${String(value)}`,
    errorCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
    fields: [field.name],
  };
}

/** One value against its field; returns the stored value or the error Salesforce gives. */
function checkValue(
  field: FieldDefinition,
  value: unknown,
  context: ValidationContext,
): { value: FieldValue } | { error: SalesforceErrorEntry } {
  if (value === null) return { value: null };
  switch (field.type) {
    case 'double':
    case 'int': {
      const number =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value)
            : Number.NaN;
      if (!Number.isFinite(number) || (field.type === 'int' && !Number.isInteger(number))) {
        return { error: notOfType(field, value) };
      }
      const integerDigits = Math.trunc(Math.abs(number)).toString().length;
      if (field.type === 'double' && field.precision > 0 && integerDigits > field.precision - field.scale) {
        return {
          error: {
            message: `${field.label}: value outside of valid range on numeric field: ${number}`,
            errorCode: 'NUMBER_OUTSIDE_VALID_RANGE',
            fields: [field.name],
          },
        };
      }
      return { value: field.scale === 0 && field.type === 'double' ? Math.round(number) : number };
    }
    case 'boolean':
      if (typeof value === 'boolean') return { value };
      if (value === 'true' || value === 'false') return { value: value === 'true' };
      return { error: notOfType(field, value) };
    case 'date':
      if (typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value))) return { value };
      return { error: notOfType(field, value) };
    case 'datetime':
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return { value };
      return { error: notOfType(field, value) };
    case 'reference': {
      if (typeof value !== 'string' || !RECORD_ID.test(value)) {
        return {
          error: {
            message: `${field.label}: id value of incorrect type: ${String(value)}`,
            errorCode: 'MALFORMED_ID',
            fields: [field.name],
          },
        };
      }
      if (field.referenceTo.includes('User') || context.exists(value, field.referenceTo)) return { value };
      return {
        error: {
          message: 'invalid cross reference id',
          errorCode: 'INVALID_CROSS_REFERENCE_KEY',
          fields: [field.name],
        },
      };
    }
    default: {
      // Text fields take JSON numbers and booleans as their text, as Salesforce's deserializer does.
      if (typeof value === 'object') return { error: notOfType(field, JSON.stringify(value)) };
      const text = String(value);
      if (text.length > field.length) {
        return {
          error: {
            message: `${field.label}: data value too large: ${text.slice(0, 30)} (max length=${field.length})`,
            errorCode: 'STRING_TOO_LONG',
            fields: [field.name],
          },
        };
      }
      if (field.type === 'email' && text !== '' && !EMAIL.test(text)) {
        return {
          error: {
            message: `${field.label}: invalid email address: ${text}`,
            errorCode: 'INVALID_EMAIL_ADDRESS',
            fields: [field.name],
          },
        };
      }
      if (
        field.type === 'picklist' &&
        field.restrictedPicklist &&
        !field.picklistValues.some((p) => p.value === text)
      ) {
        return {
          error: {
            message: `${field.label}: bad value for restricted picklist field: ${text}`,
            errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            fields: [field.name],
          },
        };
      }
      return { value: text };
    }
  }
}

/**
 * A create or update body checked as Salesforce does: an unknown field fails the whole request
 * (INVALID_FIELD, no such column), read-only fields are refused, then every value is checked and all
 * problems are listed together; a create must carry the required fields.
 */
export function validateRecord(
  object: ObjectDefinition,
  body: unknown,
  mode: 'create' | 'update',
  context: ValidationContext,
): Record<string, FieldValue> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw restError(
      400,
      'JSON_PARSER_ERROR',
      'Cannot deserialize instance of sobject from a non-object value',
    );
  }
  const entries = Object.entries(body as Record<string, unknown>).filter(([name]) => name !== 'attributes');
  for (const [name] of entries) {
    if (!object.fields.has(name)) {
      throw restError(400, 'INVALID_FIELD', `No such column '${name}' on sobject of type ${object.name}`);
    }
  }
  const readOnly = entries
    .map(([name]) => object.fields.get(name))
    .filter(
      (f): f is FieldDefinition => f !== undefined && !(mode === 'create' ? f.createable : f.updateable),
    );
  if (readOnly.length > 0) {
    const names = readOnly.map((f) => f.name);
    throw restError(
      400,
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${names.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      names,
    );
  }
  // A task on a lead belongs to the lead alone: a Related To beside a lead WhoId is refused whatever it names.
  const raw = body as Record<string, unknown>;
  if (object.name === 'Task' && typeof raw.WhoId === 'string' && raw.WhoId.startsWith('00Q') && raw.WhatId) {
    throw fieldErrors([
      {
        message:
          'field integrity exception: WhoId, WhatId (a task on a lead cannot be related to another record)',
        errorCode: 'FIELD_INTEGRITY_EXCEPTION',
        fields: ['WhoId', 'WhatId'],
      },
    ]);
  }
  const values: Record<string, FieldValue> = {};
  const errors: SalesforceErrorEntry[] = [];
  for (const [name, raw] of entries) {
    const field = object.fields.get(name) as FieldDefinition;
    const checked = checkValue(field, raw, context);
    if ('error' in checked) errors.push(checked.error);
    else values[name] = checked.value;
  }
  const missing = [...object.fields.values()]
    .filter((f) => !f.nillable && !f.defaultedOnCreate && f.createable)
    .filter((f) =>
      mode === 'create'
        ? values[f.name] === undefined || values[f.name] === null || values[f.name] === ''
        : f.name in values && (values[f.name] === null || values[f.name] === ''),
    )
    .map((f) => f.name);
  if (missing.length > 0) {
    errors.unshift({
      message: `Required fields are missing: [${missing.join(', ')}]`,
      errorCode: 'REQUIRED_FIELD_MISSING',
      fields: missing,
    });
  }
  if (errors.length > 0) throw fieldErrors(errors);
  return values;
}
