import type { SecretResolver } from '../../secrets/secret-resolver.js';

/** Several of a tenant's `secret:` references (or literal values) resolved at once, under the names given. */
export async function resolvedSecrets<K extends string>(
  secrets: SecretResolver,
  references: Readonly<Record<K, string>>,
): Promise<Record<K, string>> {
  const names = Object.keys(references) as K[];
  const values = await Promise.all(names.map((name) => secrets.resolve(references[name])));
  return Object.fromEntries(names.map((name, index) => [name, values[index]])) as Record<K, string>;
}
