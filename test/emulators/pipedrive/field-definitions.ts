import { randomBytes } from 'node:crypto';

export type Entity = 'person' | 'deal';

export interface FieldOption {
  id: number;
  label: string;
}

/** One person or deal field of a company, as personFields/dealFields list it. */
export interface FieldDefinition {
  /** v2 `field_code`, v1 `key`: the API name of a system field, a random 40-character hash for a custom one. */
  code: string;
  /** v1's numeric id. */
  id: number;
  name: string;
  type: string;
  custom: boolean;
  options: FieldOption[];
}

export interface CustomFieldSpec {
  name: string;
  type: string;
  /** Option labels of an enum or set field. */
  options?: string[];
}

const SYSTEM_FIELDS: Record<Entity, Array<[code: string, name: string, type: string]>> = {
  person: [
    ['name', 'Name', 'varchar'],
    ['first_name', 'First name', 'varchar'],
    ['last_name', 'Last name', 'varchar'],
    ['phones', 'Phone', 'phone'],
    ['emails', 'Email', 'varchar'],
    ['owner_id', 'Owner', 'user'],
    ['org_id', 'Organization', 'org'],
    ['postal_address', 'Postal address', 'address'],
    ['label_ids', 'Labels', 'set'],
    ['add_time', 'Person created', 'date'],
    ['update_time', 'Update time', 'date'],
    ['visible_to', 'Visible to', 'visible_to'],
  ],
  deal: [
    ['title', 'Title', 'varchar'],
    ['value', 'Value', 'monetary'],
    ['currency', 'Currency', 'varchar'],
    ['person_id', 'Contact person', 'people'],
    ['org_id', 'Organization', 'org'],
    ['pipeline_id', 'Pipeline', 'double'],
    ['stage_id', 'Stage', 'stage'],
    ['owner_id', 'Owner', 'user'],
    ['status', 'Status', 'status'],
    ['expected_close_date', 'Expected close date', 'date'],
    ['add_time', 'Deal created', 'date'],
  ],
};

/** The custom fields the setup guide's Pipedrive block maps to, as a company would create them. */
export const GUIDE_CUSTOM_FIELDS: Record<Entity, CustomFieldSpec[]> = {
  person: [
    { name: 'Call Recording URL', type: 'varchar' },
    { name: 'Call Transcript', type: 'text' },
    {
      name: 'AI Project Type',
      type: 'enum',
      options: ['Kitchen', 'Bathroom', 'Whole Home', 'Addition', 'Other'],
    },
    { name: 'AI Lead Score', type: 'double' },
    { name: 'Lead Source', type: 'varchar' },
  ],
  deal: [{ name: 'Timeline', type: 'enum', options: ['Immediate', 'Within 3 months', 'Later'] }],
};

/** The person and deal fields of one company: system fields plus its custom ones. */
export class FieldCatalog {
  private readonly fields: Record<Entity, FieldDefinition[]> = { person: [], deal: [] };
  private nextId = 9000;
  private nextOptionId = 100;

  constructor(custom: Record<Entity, CustomFieldSpec[]>) {
    for (const entity of ['person', 'deal'] as const) {
      for (const [code, name, type] of SYSTEM_FIELDS[entity]) {
        this.fields[entity].push({ code, id: this.nextId++, name, type, custom: false, options: [] });
      }
      for (const spec of custom[entity]) this.add(entity, spec);
    }
  }

  list(entity: Entity): FieldDefinition[] {
    return this.fields[entity];
  }

  custom(entity: Entity): FieldDefinition[] {
    return this.fields[entity].filter((f) => f.custom);
  }

  byCode(entity: Entity, code: string): FieldDefinition | undefined {
    return this.fields[entity].find((f) => f.code === code);
  }

  byName(entity: Entity, name: string): FieldDefinition | undefined {
    return this.fields[entity].find((f) => f.name === name);
  }

  add(entity: Entity, spec: CustomFieldSpec): FieldDefinition {
    const field: FieldDefinition = {
      code: randomBytes(20).toString('hex'),
      id: this.nextId++,
      name: spec.name,
      type: spec.type,
      custom: true,
      options: (spec.options ?? []).map((label) => ({ id: this.nextOptionId++, label })),
    };
    this.fields[entity].push(field);
    return field;
  }

  remove(entity: Entity, name: string): void {
    this.fields[entity] = this.fields[entity].filter((f) => !(f.custom && f.name === name));
  }
}
