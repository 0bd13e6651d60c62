import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { associate, associationLabel, parseAssociations } from './associations.js';
import { conflict, invalidInput, notFound, validationError } from './hubspot-errors.js';
import { isObjectType, type ObjectType, type PortalState, type StoredObject } from './portal-state.js';
import { validateProperties } from './property-validation.js';
import { indexedView, parseSearchRequest, runSearch } from './search.js';

export interface RouteContext {
  portalOf(request: FastifyRequest): PortalState;
  now(): number;
  searchLagMs: number;
}

const BATCH_LIMIT = 100;

/** Properties a GET or search returns when none are asked for. */
const DEFAULT_READ: Record<ObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  deals: [
    'amount',
    'closedate',
    'createdate',
    'dealname',
    'dealstage',
    'hs_lastmodifieddate',
    'hs_object_id',
    'pipeline',
  ],
  tasks: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  calls: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

const CALCULATED: Record<ObjectType, { created: string; modified: string }> = {
  contacts: { created: 'createdate', modified: 'lastmodifieddate' },
  deals: { created: 'createdate', modified: 'hs_lastmodifieddate' },
  tasks: { created: 'hs_createdate', modified: 'hs_lastmodifieddate' },
  calls: { created: 'hs_createdate', modified: 'hs_lastmodifieddate' },
};

function sorted(properties: Record<string, string | null>): Record<string, string | null> {
  return Object.fromEntries(Object.entries(properties).sort(([a], [b]) => a.localeCompare(b)));
}

function pick(properties: Record<string, string>, names: readonly string[]): Record<string, string | null> {
  return Object.fromEntries(names.map((n) => [n, properties[n] === undefined ? null : properties[n]]));
}

function present(object: StoredObject, properties: Record<string, string | null>) {
  return {
    id: object.id,
    properties: sorted(properties),
    createdAt: new Date(object.createdAt).toISOString(),
    updatedAt: new Date(object.updatedAt).toISOString(),
    archived: object.archived,
  };
}

function readNames(objectType: ObjectType, query: unknown): string[] {
  const raw = (query as Record<string, unknown>).properties;
  const listed = (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [])
    .flatMap((v) => String(v).split(','))
    .filter((v) => v !== '');
  return listed.length === 0
    ? DEFAULT_READ[objectType]
    : [
        ...new Set([
          ...listed,
          'hs_object_id',
          CALCULATED[objectType].created,
          CALCULATED[objectType].modified,
        ]),
      ];
}

function objectTypeOf(params: unknown): ObjectType {
  const { objectType } = params as { objectType: string };
  if (!isObjectType(objectType)) throw notFound();
  return objectType;
}

function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw invalidInput('body must be an object');
  return body as Record<string, unknown>;
}

function uniqueEmailOwner(
  portal: PortalState,
  email: string | undefined,
  self?: string,
): StoredObject | undefined {
  if (email === undefined || email === '') return undefined;
  const owner = portal.findContactByEmail(email);
  return owner && owner.id !== self ? owner : undefined;
}

function contactExists(id: string): never {
  throw conflict(`Contact already exists. Existing ID: ${id}`);
}

/** Engagements (tasks, calls) need hs_timestamp; a call's recording must be an https URL HubSpot can play. */
function requireEngagementFields(objectType: ObjectType, properties: Record<string, string>): void {
  if ((objectType === 'tasks' || objectType === 'calls') && !properties.hs_timestamp) {
    throw validationError('Property values were not valid: hs_timestamp is required');
  }
  const recording = properties.hs_call_recording_url;
  if (objectType === 'calls' && recording !== undefined && !/^https:\/\/\S+$/i.test(recording)) {
    throw validationError(
      `Property values were not valid: hs_call_recording_url must be an https URL, got ${recording}`,
    );
  }
}

function defaultDealPipeline(
  portal: PortalState,
  properties: Record<string, string>,
): Record<string, string> {
  const pipeline = properties.pipeline || 'default';
  const firstStage = portal.pipelines.find((p) => p.id === pipeline)?.stages[0]?.id;
  return { ...properties, pipeline, dealstage: properties.dealstage || (firstStage ?? '') };
}

/** HubSpot keeps a phone's national digits in calculated properties that search can match exactly. */
function withSearchablePhones(objectType: ObjectType, properties: Record<string, string>): void {
  if (objectType !== 'contacts') return;
  const pairs = [
    ['phone', 'hs_searchable_calculated_phone_number'],
    ['mobilephone', 'hs_searchable_calculated_mobile_number'],
  ] as const;
  for (const [source, searchable] of pairs) {
    const value = properties[source];
    if (value === undefined || value === '') delete properties[searchable];
    else
      properties[searchable] =
        parsePhoneNumberFromString(value, 'US')?.nationalNumber ?? value.replace(/\D/g, '');
  }
}

export function createObject(
  portal: PortalState,
  objectType: ObjectType,
  properties: Record<string, string>,
  now: number,
): StoredObject {
  const id = portal.newObjectId();
  const at = new Date(now).toISOString();
  const names = CALCULATED[objectType];
  const stored: Record<string, string> = {
    ...(objectType === 'contacts' ? { lifecyclestage: 'lead' } : {}),
    ...Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== '')),
    hs_object_id: id,
    [names.created]: properties[names.created] || at,
    [names.modified]: at,
  };
  withSearchablePhones(objectType, stored);
  const object: StoredObject = {
    id,
    objectType,
    properties: stored,
    createdAt: now,
    updatedAt: now,
    archived: false,
    associations: [],
    versions: [{ at: now, properties: { ...stored } }],
  };
  portal.objects[objectType].set(id, object);
  return object;
}

export function updateObject(object: StoredObject, properties: Record<string, string>, now: number): void {
  for (const [name, value] of Object.entries(properties)) {
    if (value === '') delete object.properties[name];
    else object.properties[name] = value;
  }
  withSearchablePhones(object.objectType, object.properties);
  object.properties[CALCULATED[object.objectType].modified] = new Date(now).toISOString();
  object.updatedAt = now;
  object.versions.push({ at: now, properties: { ...object.properties } });
}

function findById(
  portal: PortalState,
  objectType: ObjectType,
  id: string,
  idProperty: unknown,
): StoredObject {
  const found =
    idProperty === 'email' && objectType === 'contacts'
      ? portal.findContactByEmail(id)
      : idProperty === undefined || idProperty === 'hs_object_id'
        ? portal.objects[objectType].get(id)
        : undefined;
  if (!found || found.archived) throw notFound();
  return found;
}

export function registerObjectRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/crm/v3/objects/:objectType', async (request, reply) => {
    const portal = ctx.portalOf(request);
    const objectType = objectTypeOf(request.params);
    const body = bodyOf(request);
    let properties = validateProperties(portal, objectType, body.properties ?? {});
    const associations = parseAssociations(portal, objectType, body.associations);
    if (objectType === 'deals')
      properties = validateProperties(portal, 'deals', defaultDealPipeline(portal, properties));
    requireEngagementFields(objectType, properties);
    if (objectType === 'contacts') {
      const existing = uniqueEmailOwner(portal, properties.email);
      if (existing) contactExists(existing.id);
    }
    const object = createObject(portal, objectType, properties, ctx.now());
    for (const association of associations) associate(portal, object, association);
    reply.code(201).header('location', `/crm/v3/objects/${objectType}/${object.id}`);
    return present(object, object.properties);
  });

  app.get('/crm/v3/objects/:objectType', async (request) => {
    const portal = ctx.portalOf(request);
    const objectType = objectTypeOf(request.params);
    const query = request.query as Record<string, unknown>;
    const limit = Math.min(100, Number(query.limit ?? 10) || 10);
    const after = Number(query.after ?? 0) || 0;
    const all = [...portal.objects[objectType].values()].filter((o) => !o.archived && Number(o.id) > after);
    const names = readNames(objectType, query);
    const page = all.slice(0, limit);
    const last = page.at(-1);
    return {
      results: page.map((o) => present(o, pick(o.properties, names))),
      ...(all.length > limit && last ? { paging: { next: { after: last.id } } } : {}),
    };
  });

  app.get('/crm/v3/objects/:objectType/:id', async (request) => {
    const portal = ctx.portalOf(request);
    const objectType = objectTypeOf(request.params);
    const { id } = request.params as { id: string };
    const query = request.query as Record<string, unknown>;
    const object = findById(portal, objectType, id, query.idProperty);
    const result = present(object, pick(object.properties, readNames(objectType, query)));
    const wanted = typeof query.associations === 'string' ? query.associations.split(',') : [];
    const associations = Object.fromEntries(
      wanted
        .map(
          (type) =>
            [
              type,
              {
                results: object.associations
                  .filter((a) => a.toObjectType === type)
                  .map((a) => ({ id: a.toObjectId, type: associationLabel(a.associationTypeId) })),
              },
            ] as const,
        )
        .filter(([, v]) => v.results.length > 0),
    );
    return Object.keys(associations).length === 0 ? result : { ...result, associations };
  });

  app.patch('/crm/v3/objects/:objectType/:id', async (request) => {
    const portal = ctx.portalOf(request);
    const objectType = objectTypeOf(request.params);
    const { id } = request.params as { id: string };
    const object = findById(portal, objectType, id, (request.query as Record<string, unknown>).idProperty);
    const body = bodyOf(request);
    const properties = validateProperties(portal, objectType, body.properties ?? {});
    if (objectType === 'contacts') {
      const existing = uniqueEmailOwner(portal, properties.email, object.id);
      if (existing) contactExists(existing.id);
    }
    updateObject(object, properties, ctx.now());
    return present(object, object.properties);
  });

  app.post('/crm/v3/objects/:objectType/search', async (request) => {
    const portal = ctx.portalOf(request);
    const objectType = objectTypeOf(request.params);
    const search = parseSearchRequest(request.body);
    const names = search.properties?.length
      ? [
          ...new Set([
            ...search.properties,
            'hs_object_id',
            CALCULATED[objectType].created,
            CALCULATED[objectType].modified,
          ]),
        ]
      : DEFAULT_READ[objectType];
    const view = indexedView(portal.objects[objectType].values(), ctx.now(), ctx.searchLagMs);
    const { total, page, next } = runSearch(search, view);
    return {
      total,
      results: page.map(({ object, properties }) => present(object, pick(properties, names))),
      ...(next === undefined ? {} : { paging: { next: { after: String(next) } } }),
    };
  });

  app.post('/crm/v3/objects/:objectType/batch/upsert', async (request) => {
    const portal = ctx.portalOf(request);
    const objectType = objectTypeOf(request.params);
    const body = bodyOf(request);
    if (!Array.isArray(body.inputs)) throw invalidInput('inputs must be an array');
    if (body.inputs.length > BATCH_LIMIT) {
      throw validationError(`Batch input size ${body.inputs.length} exceeds the limit of ${BATCH_LIMIT}.`);
    }
    const startedAt = new Date(ctx.now()).toISOString();
    const inputs = (body.inputs as Array<Record<string, unknown>>).map((input) => {
      const idProperty = typeof input.idProperty === 'string' ? input.idProperty : '';
      const definition = portal.properties[objectType].get(idProperty);
      if (!definition?.hasUniqueValue) {
        throw validationError(
          `Upsert requires idProperty to be a property with unique values; ${String(idProperty)} is not.`,
        );
      }
      if (input.id === undefined || input.id === null || input.id === '') {
        throw invalidInput('each input needs an id');
      }
      return {
        id: String(input.id),
        idProperty,
        properties: validateProperties(portal, objectType, input.properties ?? {}),
      };
    });
    const results = inputs.map((input) => {
      const existing =
        input.idProperty === 'email' && objectType === 'contacts'
          ? portal.findContactByEmail(input.id)
          : [...portal.objects[objectType].values()].find((o) => o.properties[input.idProperty] === input.id);
      if (existing) {
        updateObject(existing, input.properties, ctx.now());
        return { ...present(existing, existing.properties), new: false };
      }
      // A create through upsert gets what a plain create gets: a deal's default pipeline and stage.
      const properties = {
        ...(objectType === 'deals' ? defaultDealPipeline(portal, input.properties) : input.properties),
        [input.idProperty]: input.idProperty === 'email' ? input.id.toLowerCase() : input.id,
      };
      requireEngagementFields(objectType, properties);
      const created = createObject(portal, objectType, properties, ctx.now());
      return { ...present(created, created.properties), new: true };
    });
    return { status: 'COMPLETE', results, startedAt, completedAt: new Date(ctx.now()).toISOString() };
  });
}
