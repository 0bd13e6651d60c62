import { defaultGroups, defaultPipelines, defaultProperties } from './seed.js';

export const OBJECT_TYPES = ['contacts', 'deals', 'tasks', 'calls'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export function isObjectType(value: string): value is ObjectType {
  return (OBJECT_TYPES as readonly string[]).includes(value);
}

export const PROPERTY_TYPES = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  hasUniqueValue: boolean;
  /** Offered on HubSpot forms. */
  formField: boolean;
  /** Calculated by HubSpot: writes are refused with READ_ONLY_VALUE. */
  calculated: boolean;
  hubspotDefined: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

export interface StoredAssociation {
  toObjectType: ObjectType;
  toObjectId: string;
  associationTypeId: number;
}

/** A version of an object's properties and when it was written; search sees only versions older than its lag. */
export interface IndexedVersion {
  at: number;
  properties: Record<string, string>;
}

export interface StoredObject {
  id: string;
  objectType: ObjectType;
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  associations: StoredAssociation[];
  versions: IndexedVersion[];
}

export interface Owner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  type: 'PERSON';
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Pipeline {
  id: string;
  label: string;
  stages: Array<{ id: string; label: string }>;
}

export interface OwnerSeed {
  email: string;
  firstName?: string;
  lastName?: string;
  id?: string;
}

/** One HubSpot account ("portal"): everything a private-app token can see. */
export class PortalState {
  readonly objects: Record<ObjectType, Map<string, StoredObject>> = {
    contacts: new Map(),
    deals: new Map(),
    tasks: new Map(),
    calls: new Map(),
  };
  readonly properties: Record<ObjectType, Map<string, PropertyDefinition>>;
  readonly groups: Record<ObjectType, Map<string, PropertyGroup>>;
  readonly owners: Owner[] = [];
  readonly pipelines: Pipeline[] = defaultPipelines();
  private nextObjectId = 1001;

  constructor(
    readonly portalId: number,
    owners: readonly OwnerSeed[],
    epoch: number,
  ) {
    const at = new Date(epoch).toISOString();
    this.properties = {
      contacts: new Map(defaultProperties('contacts', at).map((p) => [p.name, p])),
      deals: new Map(defaultProperties('deals', at).map((p) => [p.name, p])),
      tasks: new Map(defaultProperties('tasks', at).map((p) => [p.name, p])),
      calls: new Map(defaultProperties('calls', at).map((p) => [p.name, p])),
    };
    this.groups = {
      contacts: new Map(defaultGroups('contacts').map((g) => [g.name, g])),
      deals: new Map(defaultGroups('deals').map((g) => [g.name, g])),
      tasks: new Map(defaultGroups('tasks').map((g) => [g.name, g])),
      calls: new Map(defaultGroups('calls').map((g) => [g.name, g])),
    };
    owners.forEach((owner, index) => {
      this.owners.push({
        id: owner.id ?? String(5000 + index),
        email: owner.email,
        firstName: owner.firstName ?? '',
        lastName: owner.lastName ?? '',
        userId: 9000 + index,
        type: 'PERSON',
        archived: false,
        createdAt: at,
        updatedAt: at,
      });
    });
  }

  newObjectId(): string {
    const id = String(this.nextObjectId);
    this.nextObjectId += 1;
    return id;
  }

  /** Defines a property as the properties API would, without HTTP: for test setup. */
  defineProperty(
    objectType: ObjectType,
    input: Pick<PropertyDefinition, 'name' | 'type'> & Partial<PropertyDefinition>,
  ): PropertyDefinition {
    const at = new Date().toISOString();
    const definition: PropertyDefinition = {
      label: input.name,
      fieldType: input.type === 'enumeration' ? 'select' : input.type === 'number' ? 'number' : 'text',
      groupName: `${objectType.replace(/s$/, '')}information`,
      description: '',
      options: [],
      hasUniqueValue: false,
      formField: input.calculated !== true,
      calculated: false,
      hubspotDefined: false,
      createdAt: at,
      updatedAt: at,
      ...input,
    };
    this.properties[objectType].set(definition.name, definition);
    return definition;
  }

  contacts(): StoredObject[] {
    return [...this.objects.contacts.values()].filter((o) => !o.archived);
  }

  deals(): StoredObject[] {
    return [...this.objects.deals.values()].filter((o) => !o.archived);
  }

  tasks(): StoredObject[] {
    return [...this.objects.tasks.values()].filter((o) => !o.archived);
  }

  calls(): StoredObject[] {
    return [...this.objects.calls.values()].filter((o) => !o.archived);
  }

  findContactByEmail(email: string): StoredObject | undefined {
    const wanted = email.toLowerCase();
    return this.contacts().find((c) => c.properties.email?.toLowerCase() === wanted);
  }
}
