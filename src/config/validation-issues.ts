import type { z } from 'zod';

/** One problem in a configuration, located by its JSON path (`crm_config.custom_properties[3].type`). */
export interface ConfigIssue {
  path: string;
  message: string;
}

export function formatPath(path: readonly PropertyKey[], root = ''): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}

export function issuesFromZod(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}
