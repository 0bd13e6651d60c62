import type { Entity, FieldCatalog, FieldDefinition } from './field-definitions.js';

type Kind =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'date'
  | 'time'
  | 'currency'
  | 'items'
  | 'address'
  | 'ids'
  | 'participants'
  | 'custom_fields';

/** The body parameters of each v2 write, with the type Pipedrive checks them against. */
export const BODY_SCHEMAS: Record<'person' | 'deal' | 'activity', Record<string, Kind>> = {
  person: {
    name: 'string',
    owner_id: 'integer',
    org_id: 'integer',
    add_time: 'string',
    emails: 'items',
    phones: 'items',
    visible_to: 'integer',
    label_ids: 'ids',
    postal_address: 'address',
    notes: 'string',
    im: 'items',
    birthday: 'date',
    job_title: 'string',
    marketing_status: 'string',
    custom_fields: 'custom_fields',
  },
  deal: {
    title: 'string',
    owner_id: 'integer',
    person_id: 'integer',
    org_id: 'integer',
    pipeline_id: 'integer',
    stage_id: 'integer',
    value: 'number',
    currency: 'currency',
    is_deleted: 'boolean',
    is_archived: 'boolean',
    status: 'string',
    probability: 'number',
    lost_reason: 'string',
    visible_to: 'integer',
    close_time: 'string',
    won_time: 'string',
    lost_time: 'string',
    expected_close_date: 'date',
    label_ids: 'ids',
    custom_fields: 'custom_fields',
  },
  activity: {
    subject: 'string',
    type: 'string',
    owner_id: 'integer',
    deal_id: 'integer',
    lead_id: 'string',
    person_id: 'integer',
    org_id: 'integer',
    project_id: 'integer',
    due_date: 'date',
    due_time: 'time',
    duration: 'time',
    busy: 'boolean',
    done: 'boolean',
    participants: 'participants',
    public_description: 'string',
    priority: 'integer',
    note: 'string',
  },
};

const ITEM_KEYS = new Set(['value', 'primary', 'label']);
const ADDRESS_KEYS = new Set([
  'value',
  'country',
  'admin_area_level_1',
  'admin_area_level_2',
  'locality',
  'sublocality',
  'route',
  'street_number',
  'subpremise',
  'postal_code',
]);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2})?$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function kindProblem(path: string, kind: Kind, value: unknown): string | undefined {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? undefined : `${path}: Expected 'string' as value`;
    case 'integer':
      return Number.isInteger(value) ? undefined : `${path}: Expected 'integer' as value`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : `${path}: Expected 'number' as value`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${path}: Expected 'boolean' as value`;
    case 'date':
      return typeof value === 'string' && DATE.test(value)
        ? undefined
        : `${path}: Expected date in format YYYY-MM-DD`;
    case 'time':
      return typeof value === 'string' && TIME.test(value)
        ? undefined
        : `${path}: Expected time in format HH:MM`;
    case 'currency':
      return typeof value === 'string' && /^[A-Z]{3}$/.test(value)
        ? undefined
        : `${path}: Expected a 3-letter currency code`;
    case 'ids':
      return Array.isArray(value) && value.every((v) => Number.isInteger(v))
        ? undefined
        : `${path}: Expected 'array' of integers as value`;
    case 'items':
      if (!Array.isArray(value)) return `${path}: Expected 'array' as value`;
      for (const [i, item] of value.entries()) {
        if (!isObject(item)) return `${path}[${i}]: Expected 'object' as value`;
        const extra = Object.keys(item).find((k) => !ITEM_KEYS.has(k));
        if (extra) return `${path}[${i}].${extra}: Parameter '${extra}' is not allowed for this request`;
        if (typeof item.value !== 'string') return `${path}[${i}].value: Expected 'string' as value`;
        if (item.primary !== undefined && typeof item.primary !== 'boolean')
          return `${path}[${i}].primary: Expected 'boolean' as value`;
      }
      return undefined;
    case 'address': {
      if (!isObject(value)) return `${path}: Expected 'object' as value`;
      const extra = Object.keys(value).find((k) => !ADDRESS_KEYS.has(k));
      if (extra) return `${path}.${extra}: Parameter '${extra}' is not allowed for this request`;
      const bad = Object.entries(value).find(([, v]) => typeof v !== 'string');
      return bad ? `${path}.${bad[0]}: Expected 'string' as value` : undefined;
    }
    case 'participants':
      return Array.isArray(value) && value.every((p) => isObject(p) && Number.isInteger(p.person_id))
        ? undefined
        : `${path}: Expected 'array' of {person_id, primary} as value`;
    case 'custom_fields':
      return isObject(value) ? undefined : `${path}: Expected 'object' as value`;
  }
}

const TEXT_TYPES = new Set(['varchar', 'varchar_auto', 'text', 'phone']);
const REFERENCE_TYPES = new Set(['user', 'people', 'org', 'deal', 'stage']);

/** What Pipedrive says of one custom field value that does not fit its field's type, if anything. */
function customValueProblem(field: FieldDefinition, value: unknown): string | undefined {
  if (value === null) return undefined;
  const at = `custom_fields.${field.code}`;
  const optionIds = new Set(field.options.map((o) => o.id));
  if (TEXT_TYPES.has(field.type)) {
    return typeof value === 'string'
      ? undefined
      : `${at}: Expected 'string' as value for text custom field '${field.code}'`;
  }
  if (field.type === 'double' || field.type === 'int') {
    return typeof value === 'number' && Number.isFinite(value)
      ? undefined
      : `${at}: Expected 'number' as value for numeric custom field '${field.code}'`;
  }
  if (field.type === 'monetary') {
    return isObject(value) && typeof value.value === 'number' && typeof value.currency === 'string'
      ? undefined
      : `${at}: Expected 'object' with value and currency for monetary custom field '${field.code}'`;
  }
  if (field.type === 'enum') {
    if (!Number.isInteger(value))
      return `${at}: Expected 'number' as value for single option custom field '${field.code}'`;
    return optionIds.has(value as number)
      ? undefined
      : `${at}: Option with ID ${String(value)} does not exist for custom field '${field.code}'`;
  }
  if (field.type === 'set') {
    if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v)))
      return `${at}: Expected 'array' of numbers as value for multiple option custom field '${field.code}'`;
    const missing = value.find((v) => !optionIds.has(v as number));
    return missing === undefined
      ? undefined
      : `${at}: Option with ID ${String(missing)} does not exist for custom field '${field.code}'`;
  }
  if (field.type === 'date') {
    return typeof value === 'string' && DATE.test(value)
      ? undefined
      : `${at}: Expected date in format YYYY-MM-DD for custom field '${field.code}'`;
  }
  if (field.type === 'time') {
    return typeof value === 'string' && TIME.test(value)
      ? undefined
      : `${at}: Expected time in format HH:MM for custom field '${field.code}'`;
  }
  if (field.type === 'address') {
    return isObject(value) && typeof value.value === 'string'
      ? undefined
      : `${at}: Expected 'object' with value for address custom field '${field.code}'`;
  }
  if (REFERENCE_TYPES.has(field.type)) {
    return Number.isInteger(value)
      ? undefined
      : `${at}: Expected 'integer' as value for custom field '${field.code}'`;
  }
  return `${at}: Custom field '${field.code}' of type ${field.type} cannot be set through the API`;
}

/**
 * The problems Pipedrive's v2 schema validation finds in a write body: parameters it does not take,
 * values of the wrong type, custom field keys the company does not have and option ids a field does
 * not have. Empty when the body is acceptable.
 */
export function bodyProblems(
  resource: 'person' | 'deal' | 'activity',
  body: unknown,
  fields: FieldCatalog,
): string[] {
  if (!isObject(body)) return ["body: Expected 'object' as value"];
  const schema = BODY_SCHEMAS[resource];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const kind = schema[key];
    if (kind === undefined) {
      problems.push(`${key}: Parameter '${key}' is not allowed for this request`);
      continue;
    }
    // Nullable references (person_id, org_id) may be cleared.
    if (value === null && (key.endsWith('_id') || key === 'expected_close_date')) continue;
    const problem = kindProblem(key, kind, value);
    if (problem) problems.push(problem);
    if (kind === 'custom_fields' && isObject(value) && resource !== 'activity') {
      problems.push(...customFieldProblems(resource, value, fields));
    }
  }
  return problems;
}

function customFieldProblems(
  entity: Entity,
  values: Record<string, unknown>,
  fields: FieldCatalog,
): string[] {
  return Object.entries(values).flatMap(([code, value]) => {
    const field = fields.byCode(entity, code);
    if (!field?.custom) return [`custom_fields.${code}: Custom field '${code}' does not exist`];
    const problem = customValueProblem(field, value);
    return problem ? [problem] : [];
  });
}
