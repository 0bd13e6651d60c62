import type { FastifyInstance, FastifyRequest } from 'fastify';
import { associate, defaultAssociationType } from './associations.js';
import { conflict, invalidInput, notFound, validationError } from './hubspot-errors.js';
import type { RouteContext } from './object-routes.js';
import {
  isObjectType,
  type ObjectType,
  PROPERTY_TYPES,
  type PropertyDefinition,
  type PropertyType,
} from './portal-state.js';

function objectTypeOf(params: unknown, key = 'objectType'): ObjectType {
  const value = (params as Record<string, string>)[key] ?? '';
  if (!isObjectType(value)) throw notFound();
  return value;
}

function record(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw invalidInput('body must be an object');
  return body as Record<string, unknown>;
}

function presentProperty(p: PropertyDefinition) {
  return {
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    description: p.description,
    groupName: p.groupName,
    options: p.options,
    displayOrder: -1,
    calculated: p.calculated,
    externalOptions: false,
    hasUniqueValue: p.hasUniqueValue,
    hidden: false,
    hubspotDefined: p.hubspotDefined,
    modificationMetadata: {
      archivable: !p.hubspotDefined,
      readOnlyDefinition: p.hubspotDefined,
      readOnlyValue: p.calculated,
    },
    formField: p.formField,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    archived: false,
  };
}

/** HubSpot keeps unique values on records, not on activities, and at most ten such properties an object. */
const UNIQUE_VALUE_OBJECTS: readonly ObjectType[] = ['contacts', 'deals'];
const MAX_UNIQUE_PROPERTIES = 10;

function checkUniqueValueAllowed(portal: ReturnType<RouteContext['portalOf']>, objectType: ObjectType): void {
  if (!UNIQUE_VALUE_OBJECTS.includes(objectType)) {
    throw validationError(`Properties on ${objectType} cannot require unique values.`);
  }
  const unique = [...portal.properties[objectType].values()].filter(
    (p) => p.hasUniqueValue && !p.hubspotDefined,
  );
  if (unique.length >= MAX_UNIQUE_PROPERTIES) {
    throw validationError(
      `${objectType} already has ${unique.length} properties with unique values, the limit is ${MAX_UNIQUE_PROPERTIES}.`,
    );
  }
}

function isPropertyType(value: unknown): value is PropertyType {
  return typeof value === 'string' && (PROPERTY_TYPES as readonly string[]).includes(value);
}

/** Properties, property groups, owners, pipelines and v4 default associations. */
export function registerSchemaRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/crm/v3/properties/:objectType', async (request) => {
    const portal = ctx.portalOf(request);
    return { results: [...portal.properties[objectTypeOf(request.params)].values()].map(presentProperty) };
  });

  app.get('/crm/v3/properties/:objectType/:name', async (request) => {
    const portal = ctx.portalOf(request);
    const { name } = request.params as { name: string };
    const found = portal.properties[objectTypeOf(request.params)].get(name);
    if (!found) throw notFound();
    return presentProperty(found);
  });

  app.post('/crm/v3/properties/:objectType', async (request, reply) => {
    const portal = ctx.portalOf(request);
    const objectType = objectTypeOf(request.params);
    const body = record(request);
    const { name, label, type, fieldType, groupName } = body;
    if (typeof name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(name)) {
      throw validationError(`Invalid property name ${String(name)}: lowercase letters, digits and _ only`);
    }
    if (typeof label !== 'string' || typeof fieldType !== 'string' || typeof groupName !== 'string') {
      throw invalidInput('name, label, type, fieldType and groupName are required');
    }
    if (!isPropertyType(type)) throw validationError(`${String(type)} is not a valid property type`);
    if (portal.properties[objectType].has(name)) {
      throw conflict(`Property named '${name}' already exists.`, 'OBJECT_ALREADY_EXISTS');
    }
    if (!portal.groups[objectType].has(groupName)) {
      throw validationError(`property group ${groupName} does not exist`);
    }
    if (body.hasUniqueValue === true) checkUniqueValueAllowed(portal, objectType);
    const options = Array.isArray(body.options) ? (body.options as Array<Record<string, unknown>>) : [];
    if (type === 'enumeration' && options.length === 0) {
      throw validationError('Enumeration properties need at least one option');
    }
    const created = portal.defineProperty(objectType, {
      name,
      label,
      type,
      fieldType,
      groupName,
      description: typeof body.description === 'string' ? body.description : '',
      hasUniqueValue: body.hasUniqueValue === true,
      formField: body.formField !== false,
      options: options.map((o, index) => ({
        label: String(o.label ?? o.value),
        value: String(o.value),
        displayOrder: typeof o.displayOrder === 'number' ? o.displayOrder : index,
        hidden: o.hidden === true,
      })),
    });
    reply.code(201);
    return presentProperty(created);
  });

  app.get('/crm/v3/properties/:objectType/groups', async (request) => {
    const portal = ctx.portalOf(request);
    return { results: [...portal.groups[objectTypeOf(request.params)].values()] };
  });

  app.post('/crm/v3/properties/:objectType/groups', async (request, reply) => {
    const portal = ctx.portalOf(request);
    const objectType = objectTypeOf(request.params);
    const { name, label, displayOrder } = record(request);
    if (typeof name !== 'string' || typeof label !== 'string')
      throw invalidInput('name and label are required');
    if (portal.groups[objectType].has(name)) {
      throw conflict(`Property group named '${name}' already exists.`, 'OBJECT_ALREADY_EXISTS');
    }
    const group = {
      name,
      label,
      displayOrder: typeof displayOrder === 'number' ? displayOrder : -1,
      archived: false,
    };
    portal.groups[objectType].set(name, group);
    reply.code(201);
    return group;
  });

  app.get('/crm/v3/owners/', async (request) => {
    const portal = ctx.portalOf(request);
    const query = request.query as Record<string, string | undefined>;
    const email = query.email?.toLowerCase();
    const results = portal.owners.filter(
      (o) => !o.archived && (email === undefined || o.email.toLowerCase() === email),
    );
    return { results };
  });

  app.get('/crm/v3/pipelines/:objectType', async (request) => {
    const portal = ctx.portalOf(request);
    if (objectTypeOf(request.params) !== 'deals') return { results: [] };
    const at = new Date(0).toISOString();
    return {
      results: portal.pipelines.map((p, displayOrder) => ({
        id: p.id,
        label: p.label,
        displayOrder,
        stages: p.stages.map((s, order) => ({
          id: s.id,
          label: s.label,
          displayOrder: order,
          metadata: {},
          createdAt: at,
          updatedAt: at,
          archived: false,
        })),
        createdAt: at,
        updatedAt: at,
        archived: false,
      })),
    };
  });

  app.put('/crm/v4/objects/:fromType/:fromId/associations/default/:toType/:toId', async (request) => {
    const portal = ctx.portalOf(request);
    const fromType = objectTypeOf(request.params, 'fromType');
    const toType = objectTypeOf(request.params, 'toType');
    const { fromId, toId } = request.params as { fromId: string; toId: string };
    const from = portal.objects[fromType].get(fromId);
    const to = portal.objects[toType].get(toId);
    const typeId = defaultAssociationType(fromType, toType);
    if (!from || !to || typeId === undefined) throw notFound();
    associate(portal, from, { toId, toType, typeId });
    const at = new Date(ctx.now()).toISOString();
    return {
      status: 'COMPLETE',
      results: [
        {
          from: { id: fromId },
          to: { id: toId },
          associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId },
        },
      ],
      startedAt: at,
      completedAt: at,
    };
  });
}
