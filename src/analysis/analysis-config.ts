import { z } from 'zod';

/**
 * The optional `analysis` block of a tenant's configuration: how this tenant's leads are analysed.
 * Empty for now; per-tenant vocabulary and the LLM analyzer are issue #5.
 */
export const analysisConfigSchema = z.object({}).strict();

export type AnalysisConfig = z.infer<typeof analysisConfigSchema>;
