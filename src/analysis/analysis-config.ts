import { z } from 'zod';
import { strictObject } from '../config/strict-object.js';
import { STANDARD_PROJECT_TYPES } from '../events/ai-analysis.js';
import { llmConfigSchema } from './llm/llm-config.js';

const projectTypeSchema = strictObject({
  /** The value written to `ai_analysis.project_type`, e.g. `roof_replacement`. */
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _, starting with a letter')
    .refine((name) => name !== 'unknown', 'unknown is what no match gives; pick another name'),
  /** Words or phrases that name it; a trailing `*` matches any ending (`gutter*`). */
  keywords: z.array(z.string().trim().min(1)).min(1),
});

/** The optional `analysis` block of a tenant's configuration: how this tenant's leads are analysed. */
export const analysisConfigSchema = strictObject({
  /**
   * The tenant's own project types (a roofer's `roof_replacement`), matched before the standard ones;
   * a call naming none of them still gets kitchen, bathroom, whole_home or addition.
   */
  project_types: z
    .array(projectTypeSchema)
    .superRefine((types, ctx) => {
      const seen = new Set<string>();
      for (const [index, type] of types.entries()) {
        if (seen.has(type.name) || (STANDARD_PROJECT_TYPES as readonly string[]).includes(type.name)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'name'],
            message: `"${type.name}" is declared twice or is a standard project type`,
          });
        }
        seen.add(type.name);
      }
    })
    .optional(),
  /** An LLM endpoint that analyses this tenant's calls; without it the embedded analyzer does. */
  llm: llmConfigSchema.optional(),
});
