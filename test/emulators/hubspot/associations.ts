import { errorBody, HubSpotHttpError, validationError } from './hubspot-errors.js';
import type { ObjectType, PortalState, StoredObject } from './portal-state.js';

/** HUBSPOT_DEFINED association types the emulator knows: from type → type id → target type. */
const TYPES: Record<ObjectType, Record<number, ObjectType>> = {
  contacts: { 4: 'deals', 203: 'tasks', 193: 'calls' },
  deals: { 3: 'contacts', 205: 'calls' },
  tasks: { 204: 'contacts' },
  calls: { 194: 'contacts', 206: 'deals' },
};

const INVERSE: Record<number, number> = {
  3: 4,
  4: 3,
  203: 204,
  204: 203,
  193: 194,
  194: 193,
  205: 206,
  206: 205,
};

const LABELS: Record<number, string> = {
  3: 'deal_to_contact',
  4: 'contact_to_deal',
  203: 'contact_to_task',
  204: 'task_to_contact',
  193: 'contact_to_call',
  194: 'call_to_contact',
  205: 'deal_to_call',
  206: 'call_to_deal',
};

export function defaultAssociationType(from: ObjectType, to: ObjectType): number | undefined {
  const entry = Object.entries(TYPES[from]).find(([, target]) => target === to);
  return entry === undefined ? undefined : Number(entry[0]);
}

export interface AssociationInput {
  toId: string;
  typeId: number;
  toType: ObjectType;
}

/** Reads and checks inline associations of a create: known type ids, existing targets. */
export function parseAssociations(portal: PortalState, from: ObjectType, raw: unknown): AssociationInput[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw validationError('Invalid input JSON: associations must be an array');
  const parsed: AssociationInput[] = [];
  for (const item of raw as Array<{ to?: { id?: unknown }; types?: unknown }>) {
    const toId = item?.to?.id === undefined ? undefined : String(item.to.id);
    const types = Array.isArray(item?.types) ? (item.types as Array<Record<string, unknown>>) : [];
    if (toId === undefined || types.length === 0) {
      throw validationError('Invalid input JSON: an association needs to.id and types');
    }
    for (const type of types) {
      const typeId = Number(type.associationTypeId);
      const toType = TYPES[from][typeId];
      if (type.associationCategory !== 'HUBSPOT_DEFINED' || toType === undefined) {
        throw validationError(
          `${String(type.associationCategory)} association type ${String(type.associationTypeId)} is not valid from ${from}`,
        );
      }
      const target = portal.objects[toType].get(toId);
      if (!target || target.archived) {
        throw new HubSpotHttpError(
          400,
          errorBody('One or more associations are invalid', 'VALIDATION_ERROR', {
            context: { objectId: [toId], objectType: [toType] },
            subCategory: 'INVALID_OBJECT_IDS',
          }),
        );
      }
      parsed.push({ toId, typeId, toType });
    }
  }
  return parsed;
}

/** Associations are two-way in HubSpot: each side sees the other with the inverse type. */
export function associate(portal: PortalState, from: StoredObject, input: AssociationInput): void {
  const target = portal.objects[input.toType].get(input.toId);
  if (!target) return;
  const has = (o: StoredObject, type: ObjectType, id: string, typeId: number): boolean =>
    o.associations.some(
      (a) => a.toObjectType === type && a.toObjectId === id && a.associationTypeId === typeId,
    );
  if (!has(from, input.toType, input.toId, input.typeId)) {
    from.associations.push({
      toObjectType: input.toType,
      toObjectId: input.toId,
      associationTypeId: input.typeId,
    });
  }
  const inverse = INVERSE[input.typeId];
  if (inverse !== undefined && !has(target, from.objectType, from.id, inverse)) {
    target.associations.push({
      toObjectType: from.objectType,
      toObjectId: from.id,
      associationTypeId: inverse,
    });
  }
}

export function associationLabel(typeId: number): string {
  return LABELS[typeId] ?? String(typeId);
}
