import { invalidInput, validationError } from './hubspot-errors.js';
import type { StoredObject } from './portal-state.js';

interface Filter {
  propertyName: string;
  operator: string;
  value?: unknown;
  values?: unknown[];
}

export interface SearchRequest {
  filterGroups: Array<{ filters: Filter[] }>;
  properties: string[] | undefined;
  limit: number;
  after: number;
}

const MAX_GROUPS = 5;
const MAX_FILTERS_PER_GROUP = 6;
const MAX_FILTERS = 18;
const MAX_LIMIT = 200;
const OPERATORS = new Set(['EQ', 'NEQ', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseFilter(raw: unknown): Filter {
  if (!isRecord(raw) || typeof raw.propertyName !== 'string' || typeof raw.operator !== 'string') {
    throw invalidInput('a filter needs propertyName and operator');
  }
  if (!OPERATORS.has(raw.operator)) {
    throw validationError(
      `Unsupported operator ${raw.operator} (the emulator knows ${[...OPERATORS].join(', ')})`,
    );
  }
  return {
    propertyName: raw.propertyName,
    operator: raw.operator,
    value: raw.value,
    values: Array.isArray(raw.values) ? raw.values : undefined,
  };
}

/** Reads a search body with the real API's limits: 5 groups, 6 filters a group, 18 in all, limit ≤ 200. */
export function parseSearchRequest(body: unknown): SearchRequest {
  if (!isRecord(body)) throw invalidInput('body must be an object');
  const groups = Array.isArray(body.filterGroups) ? body.filterGroups : [];
  if (Array.isArray(body.filters)) groups.push({ filters: body.filters });
  if (groups.length > MAX_GROUPS) {
    throw validationError(`There were ${groups.length} filter groups, but the limit is ${MAX_GROUPS}.`);
  }
  const filterGroups = groups.map((group) => {
    if (!isRecord(group) || !Array.isArray(group.filters)) throw invalidInput('a filter group needs filters');
    if (group.filters.length > MAX_FILTERS_PER_GROUP) {
      throw validationError(
        `There were ${group.filters.length} filters in a group, but the limit is ${MAX_FILTERS_PER_GROUP}.`,
      );
    }
    return { filters: group.filters.map(parseFilter) };
  });
  const total = filterGroups.reduce((n, g) => n + g.filters.length, 0);
  if (total > MAX_FILTERS)
    throw validationError(`There were ${total} filters, but the limit is ${MAX_FILTERS}.`);
  const limit = body.limit === undefined || body.limit === null ? 10 : Number(body.limit);
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) {
    throw validationError(`limit must be between 0 and ${MAX_LIMIT}, was ${String(body.limit)}`);
  }
  const after = body.after === undefined || body.after === null || body.after === '' ? 0 : Number(body.after);
  if (!Number.isInteger(after) || after < 0)
    throw validationError(`after must be a number, was ${body.after}`);
  const properties = Array.isArray(body.properties)
    ? body.properties.filter((p): p is string => typeof p === 'string')
    : undefined;
  return { filterGroups, properties, limit, after };
}

/** EQ/NEQ compare case-insensitively, as HubSpot's index does for text. */
function matches(properties: Record<string, string>, filter: Filter): boolean {
  const stored = properties[filter.propertyName];
  const has = stored !== undefined && stored !== '';
  const wanted = filter.value === undefined ? undefined : String(filter.value).toLowerCase();
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'EQ':
      return has && stored.toLowerCase() === wanted;
    case 'NEQ':
      return !has || stored.toLowerCase() !== wanted;
    case 'IN':
      return has && (filter.values ?? []).map(String).includes(stored.toLowerCase());
    case 'NOT_IN':
      return !has || !(filter.values ?? []).map(String).includes(stored.toLowerCase());
    default:
      return false;
  }
}

/**
 * The version of each object the search index holds: the newest written at least `lagMs` ago. An object
 * written more recently than that is invisible (if new) or seen as it was (if updated): the real index lags.
 */
export function indexedView(
  objects: Iterable<StoredObject>,
  now: number,
  lagMs: number,
): Array<{ object: StoredObject; properties: Record<string, string> }> {
  const view: Array<{ object: StoredObject; properties: Record<string, string> }> = [];
  for (const object of objects) {
    if (object.archived) continue;
    const visible = object.versions.filter((v) => v.at <= now - lagMs).at(-1);
    if (visible) view.push({ object, properties: visible.properties });
  }
  return view;
}

export function runSearch(
  request: SearchRequest,
  candidates: Array<{ object: StoredObject; properties: Record<string, string> }>,
): {
  total: number;
  page: Array<{ object: StoredObject; properties: Record<string, string> }>;
  next?: number;
} {
  const hits = candidates
    .filter(
      ({ properties }) =>
        request.filterGroups.length === 0 ||
        request.filterGroups.some((group) => group.filters.every((f) => matches(properties, f))),
    )
    .sort((a, b) => Number(a.object.id) - Number(b.object.id));
  const page = hits.slice(request.after, request.after + request.limit);
  const next = request.after + request.limit < hits.length ? request.after + request.limit : undefined;
  return next === undefined ? { total: hits.length, page } : { total: hits.length, page, next };
}
