import { LeadstreamError } from '../../errors/leadstream-error.js';
import { findOption } from '../../identity/option-match.js';

export type Scalar = string | number | boolean | null;

/** One person or deal field as `GET /api/v2/personFields` (or dealFields) describes it. */
export interface FieldDefinition {
  /** The field's key: a 40-character hash for custom fields, the API name for system ones. */
  code: string;
  /** What users see and configure ("AI Lead Score", "ai_lead_score"). */
  name: string;
  type: string;
  custom: boolean;
  options: Array<{ id: number | string; label: string }>;
}

export type FieldEntity = 'person' | 'deal';

/** What a custom field value becomes in the v2 body: option ids for enum/set, objects for address/monetary. */
export type FieldValue = string | number | boolean | Array<number | string> | Record<string, string | number>;

function typeName(value: Scalar): string {
  return value === null ? 'null' : typeof value;
}

function invalid(
  field: FieldDefinition,
  configured: string,
  entity: FieldEntity,
  reason: string,
): LeadstreamError {
  return new LeadstreamError('field_mapping_error', `Invalid value for field ${configured}: ${reason}`, {
    details: { field: configured, field_key: field.code, field_type: field.type, entity },
  });
}

function expected(
  field: FieldDefinition,
  configured: string,
  entity: FieldEntity,
  wanted: string,
  value: Scalar,
): LeadstreamError {
  return invalid(field, configured, entity, `expected ${wanted}, got ${typeName(value)}`);
}

function optionId(
  field: FieldDefinition,
  configured: string,
  entity: FieldEntity,
  value: string | number,
): number | string {
  const byId = field.options.find((o) => String(o.id) === String(value));
  if (typeof value === 'number' && byId) return byId.id;
  const byLabel = findOption(String(value), field.options, (o) => [o.label]);
  if (byLabel) return byLabel.id;
  const labels = field.options.map((o) => o.label).join(', ');
  throw invalid(field, configured, entity, `"${value}" is not one of its options (${labels})`);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2})?$/;
/** Field types whose value is the id of another Pipedrive record (a user, person, organization...). */
const RECORD_REFERENCES = new Set(['user', 'people', 'org', 'deal', 'lead', 'project', 'stage']);

/**
 * Shapes one mapped value for a field of the given type, as API v2 takes it, or throws a permanent
 * field_mapping_error in the setup guide's words ("Invalid value for field ai_lead_score: expected
 * number, got string"). Checking here, before sending, names the configured field rather than its
 * 40-character key, and spares the tenant's daily budget a request that would be refused anyway.
 */
export function fieldValue(
  field: FieldDefinition,
  configured: string,
  entity: FieldEntity,
  value: Exclude<Scalar, null>,
  currency: string,
): FieldValue {
  switch (field.type) {
    case 'int':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw expected(field, configured, entity, 'number', value);
      }
      if (!Number.isInteger(value))
        throw invalid(field, configured, entity, `expected integer, got ${value}`);
      return value;
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw expected(field, configured, entity, 'number', value);
      }
      return value;
    case 'monetary':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw expected(field, configured, entity, 'number', value);
      }
      return { value, currency };
    case 'boolean':
      if (typeof value !== 'boolean') throw expected(field, configured, entity, 'boolean', value);
      return value;
    case 'enum':
      if (typeof value === 'boolean') throw expected(field, configured, entity, 'one option', value);
      return optionId(field, configured, entity, value);
    case 'set':
      if (typeof value === 'boolean') throw expected(field, configured, entity, 'options', value);
      // A list arrives as one text ("kitchen, bathroom"): each part is an option.
      return String(value)
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '')
        .map((part) => optionId(field, configured, entity, typeof value === 'number' ? value : part));
    case 'date':
      if (typeof value !== 'string' || !DATE.test(value.slice(0, 10))) {
        throw expected(field, configured, entity, 'date (YYYY-MM-DD)', value);
      }
      return value.slice(0, 10);
    case 'time':
      if (typeof value !== 'string' || !TIME.test(value)) {
        throw expected(field, configured, entity, 'time (HH:MM)', value);
      }
      return value;
    case 'address':
      return { value: String(value) };
    case 'varchar':
    case 'varchar_auto':
    case 'text':
    case 'phone':
      // Text fields take any scalar as its text: a score written to a text field is still the score.
      return String(value);
    default:
      if (RECORD_REFERENCES.has(field.type)) {
        if (typeof value !== 'number' || !Number.isInteger(value)) {
          throw expected(field, configured, entity, `a ${field.type} id (integer)`, value);
        }
        return value;
      }
      throw invalid(
        field,
        configured,
        entity,
        `fields of type ${field.type} cannot be written by leadstream`,
      );
  }
}
