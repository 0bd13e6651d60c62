import { z } from 'zod';
import { didYouMean } from './suggestions.js';

/**
 * An object schema that rejects unknown keys and names the key meant: a tenant's `fiel_mappings` is
 * reported as `unknown key "fiel_mappings" (did you mean "field_mappings"?)`, not silently ignored.
 */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => `unknown key "${key}"${didYouMean(key, known)}`).join('; ')
        : undefined,
  });
}
