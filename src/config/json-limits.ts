import type { ConfigIssue } from './validation-issues.js';

/**
 * How large a configuration document may be. Schemas, template compilation and JSON.stringify all
 * recurse into what they are given (a custom CRM's payload templates nest freely), and a document
 * thousands of levels deep overflows the stack in any of them; these limits are checked first, by a
 * walk that keeps its own stack, so any document gets an answer naming where it is too large.
 */
export const JSON_LIMITS = {
  /** Bytes of a whole tenant file (UTF-8): far beyond any real one, small enough to parse at once. */
  maxFileBytes: 1_048_576,
  /** Levels of objects and arrays below the root (`crm_config.payload_templates.contact.address` is 4). */
  maxDepth: 32,
  /** Keys of one object, or items of one array. */
  maxEntries: 10_000,
  /** Characters of one string, keys included. */
  maxStringLength: 100_000,
} as const;

/** Issues past this many are summed up in one line: a hostile file must not make a hostile report. */
const MAX_ISSUES = 20;

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path === '(root)' ? '' : path}[${key}]`;
  // An empty key is written "" so that the path still shows where it is.
  const name = key === '' ? '""' : key;
  return path === '(root)' ? name : `${path}.${name}`;
}

/** The issue of a file of this many bytes (UTF-8), when it is too large to parse. */
export function fileSizeIssue(bytes: number): ConfigIssue | undefined {
  if (bytes <= JSON_LIMITS.maxFileBytes) return undefined;
  return {
    path: '(root)',
    message: `the file has ${bytes} bytes, more than the ${JSON_LIMITS.maxFileBytes} allowed`,
  };
}

/**
 * Every place a parsed JSON document passes a limit (at most MAX_ISSUES, then a count), and every key
 * `__proto__`: JSON.parse keeps it as a key, but an object built from it (as schemas build theirs)
 * takes it for its prototype and the setting silently disappears. Nothing below a place that passes
 * the depth or entry limit is visited.
 */
export function jsonLimitIssues(document: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  let more = 0;
  const report = (path: string, message: string) => {
    if (issues.length < MAX_ISSUES) issues.push({ path, message });
    else more += 1;
  };
  const pending: Array<{ value: unknown; path: string; depth: number }> = [
    { value: document, path: '(root)', depth: 0 },
  ];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (value.length > JSON_LIMITS.maxStringLength) {
        report(
          path,
          `a string of ${value.length} characters, more than the ${JSON_LIMITS.maxStringLength} allowed`,
        );
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= JSON_LIMITS.maxDepth) {
      report(path, `nested deeper than ${JSON_LIMITS.maxDepth} levels`);
      continue;
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : Object.entries(value);
    if (entries.length > JSON_LIMITS.maxEntries) {
      report(
        path,
        `${entries.length} ${Array.isArray(value) ? 'items' : 'keys'}, more than the ${JSON_LIMITS.maxEntries} allowed`,
      );
      continue;
    }
    // Pushed last to first, so problems are reported in the order the file has them.
    for (const [key, item] of entries.reverse()) {
      if (typeof key === 'string') {
        if (key.length > JSON_LIMITS.maxStringLength) {
          report(
            path,
            `a key of ${key.length} characters, more than the ${JSON_LIMITS.maxStringLength} allowed`,
          );
          continue;
        }
        if (key === '__proto__') {
          report(
            child(path, key),
            'the key "__proto__" is not allowed (JavaScript reads it as the prototype, dropping the setting)',
          );
          continue;
        }
      }
      pending.push({ value: item, path: child(path, key), depth: depth + 1 });
    }
  }
  if (more > 0) issues.push({ path: '(root)', message: `and ${more} more problems of size or keys` });
  return issues;
}
