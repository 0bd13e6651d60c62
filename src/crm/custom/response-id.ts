/**
 * Reads the created record's id from a response body by the endpoint's response_id_path: dot-separated
 * keys, with array indexes as `[0]` or `.0` (`id`, `data.id`, `data[0].id`, `result.records.0.Id`).
 * Undefined when the path leads nowhere or to something that is not a string or number.
 */
export function idAt(body: unknown, path: string): string | number | undefined {
  const steps = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((step) => step !== '');
  let value: unknown = body;
  for (const step of steps) {
    if (Array.isArray(value) && /^\d+$/.test(step)) value = value[Number(step)];
    else if (value !== null && typeof value === 'object' && Object.hasOwn(value, step)) {
      value = (value as Record<string, unknown>)[step];
    } else return undefined;
  }
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return undefined;
}

/** The last path segment of a Location header (`/v1/contacts/c_42` gives `c_42`), for APIs that answer 201 with no body. */
export function idFromLocation(location: string | null): string | undefined {
  if (location === null) return undefined;
  const path = location.split(/[?#]/)[0] ?? '';
  const last = path
    .split('/')
    .filter((segment) => segment !== '')
    .pop();
  return last === undefined ? undefined : decodeURIComponent(last);
}
