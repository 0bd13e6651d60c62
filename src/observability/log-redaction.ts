/** What a log line shows in place of a sensitive value. */
const REDACTED = '[redacted]';

/**
 * Key names whose values never reach a log line, written lower-cased without `-` and `_`: keys are
 * compared the same way, so `Authorization`, `access_token`, `accessToken`, `X-API-Key` and `API_KEY`
 * all match. Transcripts are listed too: they carry what customers said on the phone.
 */
const SENSITIVE_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'token',
  'apitoken',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'authtoken',
  'bearertoken',
  'sessiontoken',
  'signingtoken',
  'apikey',
  'xapikey',
  'secret',
  'secrets',
  'clientsecret',
  'signingsecret',
  'webhooksecret',
  'password',
  'passwd',
  'passphrase',
  'privatekey',
  'privatekeypem',
  'credential',
  'credentials',
  'assertion',
  'clientassertion',
  'signature',
  'xcallrailsignature',
  'transcript',
  'transcripts',
  'transcription',
  'conversationaltranscript',
]);

/**
 * How many levels below the logged object are checked. JSON.stringify would write deeper levels in full,
 * so an object deeper than this is written as `[Object]` / `[Array]` (pino's own notation) rather than
 * written unchecked.
 */
const MAX_DEPTH = 10;

/**
 * How many entries (keys and array items) one log line's objects may hold in all. Past it, the objects
 * not yet checked are written as `[Object]` / `[Array]`: an accidental log of a whole client or socket
 * (a graph of thousands of objects) stays one cheap, short, safe line.
 */
const MAX_ENTRIES = 10_000;

/** Key names repeat across lines; the verdicts are remembered, up to a bound since keys may come from input. */
const verdicts = new Map<string, boolean>();
const MAX_REMEMBERED_KEYS = 2_000;

function isSensitiveKey(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = SENSITIVE_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
    if (verdicts.size < MAX_REMEMBERED_KEYS) verdicts.set(key, verdict);
  }
  return verdict;
}

const IN_PROGRESS = Symbol('in progress');

interface Walk {
  /** The logged object itself, which pino needs back as an object, never as a placeholder. */
  root: object;
  remaining: number;
  /**
   * Result of every object met on this line, so that an object reached twice is written the same way
   * both times (a set of visited objects would hand back the unredacted original the second time), and
   * an object reached from inside itself becomes `[Circular]`: leaving the reference in a redacted copy
   * would point back at the unredacted original.
   */
  results: Map<object, unknown> | undefined;
}

/**
 * `fields` with the value of every sensitive key replaced by {@link REDACTED}, at any depth and whatever
 * the key's case. Objects holding nothing sensitive are returned as they are (no copy); a copy is made
 * only along the path to a sensitive key. Errors keep their prototype, so pino's `err` serializer still
 * writes their type, message and stack.
 */
export function redactSecrets<T extends object>(fields: T): T {
  try {
    return scrubEntries(fields, 0, { root: fields, remaining: MAX_ENTRIES, results: undefined }) as T;
  } catch {
    // A getter that throws (JSON.stringify would throw on it too) must not cost the log line.
    return withoutNestedValues(fields) as T;
  }
}

function scrub(value: unknown, depth: number, walk: Walk): unknown {
  if (typeof value !== 'object' || value === null || !isWrittenByKeys(value)) return value;
  if (value === walk.root) return '[Circular]';
  // Made here, not per line: most lines hold no nested object and need no map.
  walk.results ??= new Map();
  const known = walk.results.get(value);
  if (known === IN_PROGRESS) return '[Circular]';
  if (known !== undefined) return known;
  if (depth > MAX_DEPTH) return placeholder(value);
  walk.results.set(value, IN_PROGRESS);
  const result = scrubEntries(value, depth, walk);
  walk.results.set(value, result);
  return result;
}

/** Objects JSON.stringify writes key by key; Dates, Buffers and the like have a toJSON of their own. */
function isWrittenByKeys(value: object): boolean {
  return (
    Array.isArray(value) ||
    (typeof (value as { toJSON?: unknown }).toJSON !== 'function' && !ArrayBuffer.isView(value))
  );
}

function placeholder(value: object): string {
  return Array.isArray(value) ? '[Array]' : '[Object]';
}

function scrubEntries(value: object, depth: number, walk: Walk): unknown {
  if (Array.isArray(value)) return scrubArray(value, depth, walk);
  const keys = Object.keys(value);
  if (value instanceof Error) {
    // Non-enumerable, yet pino's err serializers write them.
    for (const key of ['cause', 'errors'])
      if (!keys.includes(key) && Object.hasOwn(value, key)) keys.push(key);
  }
  walk.remaining -= keys.length;
  if (walk.remaining < 0 && depth > 0) return placeholder(value);
  let replacements: Map<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key of keys) {
    const entry = record[key];
    const scrubbed =
      isSensitiveKey(key) && entry !== undefined && entry !== null ? REDACTED : scrub(entry, depth + 1, walk);
    if (scrubbed === entry) continue;
    replacements ??= new Map();
    replacements.set(key, scrubbed);
  }
  return replacements === undefined ? value : copyWith(value, replacements);
}

function scrubArray(items: unknown[], depth: number, walk: Walk): unknown {
  walk.remaining -= items.length;
  if (walk.remaining < 0 && depth > 0) return '[Array]';
  let copy: unknown[] | undefined;
  for (let index = 0; index < items.length; index++) {
    const scrubbed = scrub(items[index], depth + 1, walk);
    if (scrubbed !== items[index]) {
      copy ??= items.slice();
      copy[index] = scrubbed;
    }
  }
  return copy ?? items;
}

function copyWith(value: object, replacements: Map<string, unknown>): object {
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) {
    const copy: Record<string, unknown> = { ...value };
    for (const [key, replacement] of replacements) copy[key] = replacement;
    return copy;
  }
  // Errors and class instances keep their prototype and the shape of their properties.
  const descriptors = Object.getOwnPropertyDescriptors(value);
  for (const [key, replacement] of replacements) {
    descriptors[key] = {
      value: replacement,
      enumerable: descriptors[key]?.enumerable ?? true,
      writable: true,
      configurable: true,
    };
  }
  return Object.create(prototype, descriptors);
}

function withoutNestedValues(fields: object): Record<string, unknown> {
  const record = fields as Record<string, unknown>;
  const safe: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    if (isSensitiveKey(key)) {
      safe[key] = REDACTED;
      continue;
    }
    try {
      const value = record[key];
      safe[key] = typeof value === 'object' && value !== null ? placeholder(value) : value;
    } catch {
      safe[key] = '[unreadable]';
    }
  }
  return safe;
}
