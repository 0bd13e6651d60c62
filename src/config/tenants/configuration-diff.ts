/** One line per JSON path whose value differs: `- path: old` and `+ path: new`, in path order. */
export function configurationDiff(before: unknown, after: unknown): string[] {
  const old = leaves(before);
  const now = leaves(after);
  const paths = [...new Set([...old.keys(), ...now.keys()])].sort();
  return paths.flatMap((path) => {
    const a = old.get(path);
    const b = now.get(path);
    if (a === b) return [];
    return [...(a === undefined ? [] : [`- ${path}: ${a}`]), ...(b === undefined ? [] : [`+ ${path}: ${b}`])];
  });
}

/** Every scalar (and empty object or array) by its path, as JSON text. */
function leaves(value: unknown, path = '(root)', out = new Map<string, string>()): Map<string, string> {
  const child = (key: string | number) =>
    typeof key === 'number' ? `${path}[${key}]` : path === '(root)' ? key : `${path}.${key}`;
  if (Array.isArray(value) && value.length > 0) {
    for (const [index, item] of value.entries()) leaves(item, child(index), out);
  } else if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0
  ) {
    for (const [key, item] of Object.entries(value)) leaves(item, child(key), out);
  } else if (value !== undefined) {
    out.set(path, JSON.stringify(value));
  }
  return out;
}
