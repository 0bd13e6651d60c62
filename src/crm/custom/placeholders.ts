import type { AuthValues } from './authentication.js';
import type { CustomJson } from './payloads.js';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const ONLY_PLACEHOLDER = /^\{\{\s*([^{}]*?)\s*\}\}$/;
const AUTH = /^auth\.(token|username|password|key)$/;
const REF = /^([a-z][a-z0-9_]*)\.id$/;

/** Ids earlier operations of the command got, by operation ref. */
export type RecordIds = ReadonlyMap<string, string | number>;

/** What the placeholders of one part of a request may stand for. */
interface Fill {
  ids: RecordIds;
  /** Absent where credentials must not go (the body). */
  auth?: AuthValues;
  /** How a value is written inside a longer text (URL-encoded in a path). */
  write: (value: string) => string;
}

function placeholderValue(expression: string, fill: Fill): string | number | undefined {
  const ref = REF.exec(expression)?.[1];
  if (ref !== undefined) return fill.ids.get(ref);
  const auth = AUTH.exec(expression)?.[1] as keyof AuthValues | undefined;
  return auth === undefined ? undefined : fill.auth?.[auth];
}

/** Fills one text; a placeholder nothing answers stays as written. */
function fillText(text: string, fill: Fill): string {
  return text.replace(PLACEHOLDER, (whole, expression: string) => {
    const value = placeholderValue(expression, fill);
    return value === undefined ? whole : fill.write(String(value));
  });
}

/** `/contacts/{{contact.id}}/notes?key={{auth.key}}`: values URL-encoded. */
export function fillPath(path: string, ids: RecordIds, auth: AuthValues): string {
  return fillText(path, { ids, auth, write: encodeURIComponent });
}

export function fillHeader(value: string, ids: RecordIds, auth: AuthValues): string {
  return fillText(value, { ids, auth, write: (text) => text });
}

/**
 * Fills `{{<ref>.id}}` in a request body; a string that is exactly one placeholder becomes the id
 * itself, keeping its type. `{{auth.*}}` is never filled in a body: body text carries what callers
 * typed into forms, and a caller must not be able to have a credential written into a CRM record.
 */
export function fillBody(body: CustomJson, ids: RecordIds): CustomJson {
  const fill: Fill = { ids, write: (text) => text };
  const walk = (value: CustomJson): CustomJson => {
    if (typeof value === 'string') {
      const only = ONLY_PLACEHOLDER.exec(value)?.[1];
      const whole = only === undefined ? undefined : placeholderValue(only, fill);
      return whole ?? fillText(value, fill);
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item)]));
    }
    return value;
  };
  return walk(body);
}

/** The refs a text or body refers to with `{{<ref>.id}}`. */
export function referencedRefs(...parts: unknown[]): Set<string> {
  const refs = new Set<string>();
  const text = JSON.stringify(parts);
  for (const match of text.matchAll(PLACEHOLDER)) {
    const ref = REF.exec(match[1] ?? '')?.[1];
    if (ref !== undefined) refs.add(ref);
  }
  return refs;
}
