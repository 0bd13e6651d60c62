import type { z } from 'zod';

/** One problem in a configuration, located by its JSON path (`crm_config.custom_properties[3].type`). */
export interface ConfigIssue {
  path: string;
  message: string;
}

function formatPath(path: readonly PropertyKey[], root = ''): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}

const listed = (values: readonly unknown[]): string => values.map((value) => String(value)).join(', ');

/** Zod's messages rephrased the way an admin reads them: what was expected, what was given. */
function messageOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `expected one of ${listed(issue.values)}`;
    case 'invalid_union': {
      // A discriminated union without a match lists the discriminator's values in `options`.
      const options = (issue as { options?: unknown }).options;
      return Array.isArray(options) ? `expected one of ${listed(options)}` : issue.message;
    }
    case 'invalid_key':
      return `invalid name: expected ${issue.issues.map((inner) => inner.message).join('; ')}`;
    case 'invalid_type':
      return issue.message.replace(/^Invalid input: /, '').replace(/, received /, ', got ');
    default:
      return issue.message;
  }
}

export function issuesFromZod(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => {
    // An unknown key is located at the key itself, where the admin has to look.
    const path =
      issue.code === 'unrecognized_keys' && issue.keys.length === 1
        ? [...issue.path, ...issue.keys]
        : issue.path;
    return { path: formatPath(path), message: messageOf(issue) };
  });
}
