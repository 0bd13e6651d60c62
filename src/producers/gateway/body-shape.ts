import { GatewayError } from './gateway-error.js';

/** How large a parsed body may be in shape; every request body is checked before anything walks it. */
export interface BodyShapeLimits {
  /** Objects and arrays nested in one another; CallRail's payloads are three deep. */
  maxDepth: number;
  /** Keys and array items in the whole body. */
  maxEntries: number;
  /** Characters in one string or one key. */
  maxStringLength: number;
}

export const DEFAULT_BODY_SHAPE: BodyShapeLimits = {
  maxDepth: 16,
  maxEntries: 2_000,
  // A long call's transcript is the longest string a sender has a reason to send (an hour is ~60 k).
  maxStringLength: 512 * 1024,
};

function tooLarge(path: string, message: string): GatewayError {
  return new GatewayError(400, 'validation_error', message, path === '' ? undefined : path);
}

function pathOf(parent: string, key: string | number): string {
  return typeof key === 'number' ? `${parent}[${key}]` : parent === '' ? key : `${parent}.${key}`;
}

/**
 * The deepest nesting of a JSON text, counted over its brackets outside strings, so a body nested
 * thousands deep is refused before JSON.parse or any recursive code sees it.
 */
export function jsonDepthWithin(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x7b || code === 0x5b) {
      depth++;
      if (depth > maxDepth) return false;
    } else if (code === 0x7d || code === 0x5d) depth--;
  }
  return true;
}

/**
 * Checks a parsed body against the limits without recursion (an explicit stack), and answers 400
 * naming the first place that breaks one.
 */
export function checkBodyShape(body: unknown, limits: BodyShapeLimits = DEFAULT_BODY_SHAPE): void {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: body, path: '', depth: 0 }];
  let entries = 0;
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength) {
        throw tooLarge(
          path,
          `${path || 'the body'} is ${value.length} characters long; at most ${limits.maxStringLength} are accepted`,
        );
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= limits.maxDepth) {
      throw tooLarge(path, `${path || 'the body'} is nested deeper than ${limits.maxDepth} levels`);
    }
    const items: Array<[string | number, unknown]> = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : Object.entries(value);
    entries += items.length;
    if (entries > limits.maxEntries) {
      throw tooLarge(path, `the body holds more than ${limits.maxEntries} keys and list items`);
    }
    for (const [key, item] of items) {
      if (typeof key === 'string' && key.length > limits.maxStringLength) {
        throw tooLarge(
          path,
          `a key in ${path || 'the body'} is longer than ${limits.maxStringLength} characters`,
        );
      }
      stack.push({ value: item, path: pathOf(path, key), depth: depth + 1 });
    }
  }
}
