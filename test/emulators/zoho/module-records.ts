import { type ZohoErrorBody, zohoError } from './zoho-errors.js';

export type FieldType =
  | 'text'
  | 'email'
  | 'phone'
  | 'integer'
  | 'double'
  | 'website'
  | 'textarea'
  | 'picklist'
  | 'boolean'
  | 'date';

export interface FieldDefinition {
  api_name: string;
  data_type: FieldType;
  length?: number;
  mandatory?: boolean;
  /** "Do not allow duplicate values" is set on the field. */
  unique?: boolean;
}

export interface StoredRecord {
  id: string;
  fields: Record<string, unknown>;
}

export type RecordResult =
  | {
      code: 'SUCCESS';
      duplicate_field: string | null;
      action: 'insert' | 'update';
      details: Record<string, unknown>;
      message: string;
      status: 'success';
    }
  | ZohoErrorBody;

/** Leads as a Zoho CRM account has them, with the custom fields a lead-intake setup adds. */
export const LEAD_FIELDS: FieldDefinition[] = [
  { api_name: 'Last_Name', data_type: 'text', length: 80, mandatory: true },
  { api_name: 'First_Name', data_type: 'text', length: 40 },
  { api_name: 'Email', data_type: 'email', length: 100, unique: true },
  { api_name: 'Phone', data_type: 'phone', length: 30 },
  { api_name: 'Mobile', data_type: 'phone', length: 30 },
  { api_name: 'Company', data_type: 'text', length: 200 },
  { api_name: 'City', data_type: 'text', length: 100 },
  { api_name: 'State', data_type: 'text', length: 100 },
  { api_name: 'Lead_Source', data_type: 'picklist', length: 120 },
  { api_name: 'Lead_Status', data_type: 'picklist', length: 120 },
  { api_name: 'Description', data_type: 'textarea', length: 32_000 },
  { api_name: 'AI_Lead_Score', data_type: 'integer', length: 9 },
  { api_name: 'Call_Recording_URL', data_type: 'website', length: 255 },
  { api_name: 'Call_Duration', data_type: 'integer', length: 9 },
];

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** Fields Zoho lets an upsert check duplicates on (system unique fields and phone-like fields). */
const CHECKABLE: ReadonlySet<FieldType> = new Set(['email', 'phone', 'text']);

function expectedType(type: FieldType): string {
  return type === 'website' ? 'website' : type;
}

function checkValue(field: FieldDefinition, value: unknown): string | undefined {
  if (value === null) return undefined;
  switch (field.data_type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : 'integer';
    case 'double':
      return typeof value === 'number' ? undefined : 'double';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'boolean';
    case 'email':
      return typeof value === 'string' && EMAIL.test(value) ? undefined : 'email';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? undefined : 'date';
    case 'website':
      return typeof value === 'string' && /^https?:\/\/\S+$/.test(value) ? undefined : 'website';
    default:
      if (typeof value !== 'string' && typeof value !== 'number') return expectedType(field.data_type);
      return String(value).length > (field.length ?? 255) ? expectedType(field.data_type) : undefined;
  }
}

/**
 * One module's records with Zoho's upsert rules: the record is matched on the duplicate check fields
 * in order (the first that matches wins) or by its id, mandatory fields are required on insert,
 * values must fit their field's type and length (INVALID_DATA names the field and the expected type),
 * and a unique field may not take another record's value (DUPLICATE_DATA names that record).
 * Fields the module does not have are ignored, as Zoho does.
 */
export class ModuleRecords {
  private readonly records = new Map<string, StoredRecord>();
  /** Zoho's Created_Time of each record, by id: a system field, not among the fields written. */
  private readonly createdTimes = new Map<string, string>();
  private nextId = 5_725_767_000_000_417_001n;

  constructor(
    readonly apiName: string,
    readonly fields: FieldDefinition[],
  ) {}

  all(): StoredRecord[] {
    return [...this.records.values()];
  }

  /** Deletes a record, as a salesperson might. */
  remove(id: string): void {
    this.records.delete(id);
  }

  insert(fields: Record<string, unknown>): StoredRecord {
    const record = { id: String(this.nextId++), fields: { ...fields } };
    this.records.set(record.id, record);
    this.createdTimes.set(record.id, zohoNow());
    return record;
  }

  /** When Zoho created the record, as Zoho writes a datetime. */
  createdTime(id: string): string | undefined {
    return this.createdTimes.get(id);
  }

  /** Records whose phone-type (or email-type) fields hold the value, as Zoho's search by phone or email. */
  search(type: 'phone' | 'email', value: string): StoredRecord[] {
    const fields = this.fields.filter((field) => field.data_type === type).map((field) => field.api_name);
    return this.all().filter((record) => fields.some((name) => same(record.fields[name], value)));
  }

  /** Checks duplicate_check_fields before any record is touched; an error body when they are wrong. */
  checkDuplicateFields(names: unknown): ZohoErrorBody | undefined {
    if (names === undefined) return undefined;
    if (!Array.isArray(names) || names.some((name) => typeof name !== 'string'))
      return zohoError('INVALID_DATA', 'invalid data', { api_name: 'duplicate_check_fields' });
    for (const name of names as string[]) {
      const field = this.fields.find((candidate) => candidate.api_name === name);
      if (!field || !CHECKABLE.has(field.data_type))
        return zohoError('INVALID_DATA', 'the given field is not supported for duplicate check', {
          api_name: name,
          json_path: '$.duplicate_check_fields',
        });
    }
    return undefined;
  }

  upsert(index: number, input: unknown, duplicateCheckFields: string[]): RecordResult {
    const path = (name: string) => `$.data[${index}].${name}`;
    if (input === null || typeof input !== 'object' || Array.isArray(input))
      return zohoError('INVALID_DATA', 'invalid data', { json_path: `$.data[${index}]` });
    const given = input as Record<string, unknown>;
    const values: Record<string, unknown> = {};
    for (const field of this.fields) {
      if (!(field.api_name in given)) continue;
      const expected = checkValue(field, given[field.api_name]);
      if (expected !== undefined)
        return zohoError('INVALID_DATA', 'invalid data', {
          expected_data_type: expected,
          api_name: field.api_name,
          json_path: path(field.api_name),
        });
      values[field.api_name] = given[field.api_name];
    }

    let target: StoredRecord | undefined;
    let duplicateField: string | null = null;
    if (given.id !== undefined) {
      target = typeof given.id === 'string' ? this.records.get(given.id) : undefined;
      if (!target)
        return zohoError('INVALID_DATA', 'the id given seems to be invalid', {
          api_name: 'id',
          json_path: path('id'),
        });
    } else {
      for (const name of duplicateCheckFields) {
        const value = values[name];
        if (value === undefined || value === null || value === '') continue;
        target = this.all().find((record) => same(record.fields[name], value));
        if (target) {
          duplicateField = name;
          break;
        }
      }
    }

    for (const field of this.fields) {
      const value = values[field.api_name];
      if (!field.unique || value === undefined || value === null) continue;
      const other = this.all().find(
        (record) => record !== target && same(record.fields[field.api_name], value),
      );
      if (other)
        return zohoError('DUPLICATE_DATA', 'duplicate data', {
          api_name: field.api_name,
          json_path: path(field.api_name),
          duplicate_record: { module: { api_name: this.apiName }, id: other.id },
        });
    }

    if (target) {
      Object.assign(target.fields, values);
      return success('update', duplicateField, target.id);
    }
    const missing = this.fields.find(
      (field) => field.mandatory && (values[field.api_name] === undefined || values[field.api_name] === ''),
    );
    if (missing)
      return zohoError('MANDATORY_NOT_FOUND', 'required field not found', {
        api_name: missing.api_name,
        json_path: path(missing.api_name),
      });
    const record = this.insert(values);
    return success('insert', null, record.id);
  }
}

function same(stored: unknown, wanted: unknown): boolean {
  if (typeof stored === 'string' && typeof wanted === 'string')
    return stored.toLowerCase() === wanted.toLowerCase();
  return stored === wanted;
}

/** Now as Zoho writes a datetime: to the second, with the offset. */
function zohoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function success(action: 'insert' | 'update', duplicateField: string | null, id: string): RecordResult {
  const now = zohoNow();
  return {
    code: 'SUCCESS',
    duplicate_field: duplicateField,
    action,
    details: {
      Modified_Time: now,
      Modified_By: { name: 'Integration User', id: '5725767000000411001' },
      Created_Time: now,
      id,
      Created_By: { name: 'Integration User', id: '5725767000000411001' },
    },
    message: action === 'insert' ? 'record added' : 'record updated',
    status: 'success',
  };
}
