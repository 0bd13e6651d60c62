import { type JsonShapeLimits, walkJsonShape } from '../json/json-shape.js';
import type { ConfigIssue } from './validation-issues.js';

/**
 * How large a tenant configuration may be: far beyond any real one (a custom CRM's payload templates
 * nest freely), checked before anything recurses into it (src/json/json-shape.ts).
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
} as const satisfies JsonShapeLimits & { maxFileBytes: number };

/** Issues past this many are summed up in one line: a hostile file must not make a hostile report. */
const MAX_ISSUES = 20;

/** The issue of a file of this many bytes (UTF-8), when it is too large to parse. */
export function fileSizeIssue(bytes: number): ConfigIssue | undefined {
  if (bytes <= JSON_LIMITS.maxFileBytes) return undefined;
  return {
    path: '(root)',
    message: `the file has ${bytes} bytes, more than the ${JSON_LIMITS.maxFileBytes} allowed`,
  };
}

/**
 * Every place a parsed tenant document passes a limit or names a `__proto__` key (at most MAX_ISSUES,
 * then a count), at the JSON paths `tenants validate` prints.
 */
export function jsonLimitIssues(document: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  let more = 0;
  walkJsonShape(document, JSON_LIMITS, '(root)', (problem) => {
    if (issues.length < MAX_ISSUES) issues.push(problem);
    else more += 1;
    return true;
  });
  if (more > 0) issues.push({ path: '(root)', message: `and ${more} more problems of size or keys` });
  return issues;
}
