/**
 * How large a parsed JSON document may be in shape. Schemas, template compilation, JSON.stringify and
 * the readers of request bodies all recurse into what they are given, and a document thousands of
 * levels deep overflows the stack in any of them; these limits are checked first, by a walk that keeps
 * its own stack.
 */
export interface JsonShapeLimits {
  /** Levels of objects and arrays below the root. */
  maxDepth: number;
  /** Keys of one object, or items of one array. */
  maxEntries: number;
  /** Keys and items of the whole document, when bounded. */
  maxTotalEntries?: number;
  /** Characters of one string, keys included. */
  maxStringLength: number;
}

export interface ShapeProblem {
  /** `a.b[0]`, or the root's name given to the walk. */
  path: string;
  message: string;
}

function child(root: string, path: string, key: string | number): string {
  if (typeof key === 'number') return `${path === root ? '' : path}[${key}]`;
  // An empty key is written "" so that the path still shows where it is.
  const name = key === '' ? '""' : key;
  return path === root ? name : `${path}.${name}`;
}

/**
 * Every place a document passes a limit, in document order, and every key `__proto__`: JSON.parse keeps
 * it as a key, but an object built from it (as schemas and field readers build theirs) takes it for
 * its prototype and the value silently disappears. Nothing below a place that passes the depth or entry
 * limit is visited. `report` returns false to stop the walk.
 */
export function walkJsonShape(
  document: unknown,
  limits: JsonShapeLimits,
  root: string,
  report: (problem: ShapeProblem) => boolean,
): void {
  let total = 0;
  const pending: Array<{ value: unknown; path: string; depth: number }> = [
    { value: document, path: root, depth: 0 },
  ];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength) {
        const message = `a string of ${value.length} characters, more than the ${limits.maxStringLength} allowed`;
        if (!report({ path, message })) return;
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= limits.maxDepth) {
      if (!report({ path, message: `nested deeper than ${limits.maxDepth} levels` })) return;
      continue;
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : Object.entries(value);
    const kind = Array.isArray(value) ? 'items' : 'keys';
    if (entries.length > limits.maxEntries) {
      const message = `${entries.length} ${kind}, more than the ${limits.maxEntries} allowed`;
      if (!report({ path, message })) return;
      continue;
    }
    total += entries.length;
    if (limits.maxTotalEntries !== undefined && total > limits.maxTotalEntries) {
      report({
        path: root,
        message: `more than the ${limits.maxTotalEntries} keys and items allowed in all`,
      });
      return;
    }
    // Pushed last to first, so problems are reported in the order the document has them.
    for (const [key, item] of entries.reverse()) {
      if (typeof key === 'string') {
        if (key.length > limits.maxStringLength) {
          const message = `a key of ${key.length} characters, more than the ${limits.maxStringLength} allowed`;
          if (!report({ path, message })) return;
          continue;
        }
        if (key === '__proto__') {
          const message =
            'the key "__proto__" is not allowed (JavaScript reads it as the prototype, dropping the value)';
          if (!report({ path: child(root, path, key), message })) return;
          continue;
        }
      }
      pending.push({ value: item, path: child(root, path, key), depth: depth + 1 });
    }
  }
}
