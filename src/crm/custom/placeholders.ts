import {
  type BodySlot,
  type CustomJson,
  type CustomRequestPayload,
  ID_SLOT,
  type TemplatePart,
} from './payloads.js';

/** What a slot stands for at delivery (a credential, an earlier record's id); throws when it has nothing. */
export type SlotValue = (slot: string) => string | number;

/** C0 and C1 control characters, DEL, and anything past Latin-1, which an HTTP header cannot carry. */
const NOT_FOR_A_HEADER = /[^\u0020-\u007e\u00a0-\u00ff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function headerSafe(value: string): boolean {
  return !NOT_FOR_A_HEADER.test(value);
}

/** A value as it goes into a path or query: URL-encoded; a lone surrogate half (no character) as U+FFFD. */
export function encodeUrlValue(value: string): string {
  return encodeURIComponent(value.replace(LONE_SURROGATE, '\ufffd'));
}

/**
 * Whether a path (its query aside) has a `.` or `..` segment, which URL parsing resolves away
 * (`/contacts/../admin` is `/admin`), encoded or not: URL-encoding cannot keep such a value in its place.
 */
export function hasDotSegment(path: string): boolean {
  const [beforeQuery = ''] = path.split(/[?#]/, 1);
  return beforeQuery.split('/').some((segment) => {
    const dots = segment.toLowerCase().replaceAll('%2e', '.');
    return dots === '.' || dots === '..';
  });
}

function fillParts(
  parts: readonly TemplatePart[],
  value: SlotValue,
  write: (text: string) => string,
): string {
  return parts.map((part) => ('text' in part ? part.text : write(String(value(part.slot))))).join('');
}

/** `/contacts/{{contact.id}}/notes?key={{auth.key}}`: slot values URL-encoded. */
export function fillPath(parts: readonly TemplatePart[], value: SlotValue): string {
  return fillParts(parts, value, encodeUrlValue);
}

export function fillHeader(parts: readonly TemplatePart[], value: SlotValue): string {
  return fillParts(parts, value, (text) => text);
}

/** A path as logs and errors name it: slots as their placeholder, never their value. */
export function pathLabel(parts: readonly TemplatePart[]): string {
  return parts.map((part) => ('text' in part ? part.text : `{{${part.slot}}}`)).join('');
}

/**
 * Fills the body at the positions its slots name, and nowhere else: a string elsewhere in the body is
 * left as it is, whatever it looks like. A slot that is a position's only part gives the id itself,
 * keeping its type.
 */
export function fillBody(body: CustomJson, slots: readonly BodySlot[], value: SlotValue): CustomJson {
  if (slots.length === 0) return body;
  const positions = new Map(slots.map((slot) => [JSON.stringify(slot.at), slot.parts]));
  const walk = (node: CustomJson, at: Array<string | number>): CustomJson => {
    const parts = positions.get(JSON.stringify(at));
    if (parts !== undefined) {
      const [only, ...more] = parts;
      if (only !== undefined && 'slot' in only && more.length === 0) return value(only.slot);
      return fillParts(parts, value, (text) => text);
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...at, index]));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, [...at, key])]));
    }
    return node;
  };
  return walk(body, []);
}

/** The refs whose `<ref>.id` a payload's slots need. */
export function referencedRefs(payload: CustomRequestPayload): Set<string> {
  const requests = [payload, payload.find, payload.update].flatMap((request) =>
    request === undefined ? [] : [request.path, ...Object.values(request.headers)],
  );
  const refs = new Set<string>();
  for (const part of [...requests, ...payload.body_slots.map((slot) => slot.parts)].flat()) {
    const ref = 'slot' in part ? ID_SLOT.exec(part.slot)?.[1] : undefined;
    if (ref !== undefined) refs.add(ref);
  }
  return refs;
}
