import { z } from 'zod';
import { strictObject } from '../../config/strict-object.js';

/**
 * The optional `analysis.llm` block of a tenant's configuration: an OpenAI-compatible chat-completions
 * endpoint that analyses this tenant's calls instead of the embedded analyzer, which still answers
 * whenever the endpoint fails, is slow or replies with something invalid.
 */
export const llmConfigSchema = strictObject({
  /** The API base, e.g. `https://api.openai.com/v1`; `/chat/completions` is appended. */
  base_url: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')),
  /** The model name the endpoint knows, e.g. `gpt-4o-mini`. */
  model: z.string().trim().min(1),
  /** Sent as a bearer token; usually a `secret:` reference; a local server may need none. */
  api_key: z.string().min(1).optional(),
  /** How long one analysis may take before the embedded analyzer answers instead. */
  timeout_ms: z.number().int().positive().max(120_000).default(8000),
  /** Longer transcripts are cut to this many characters (their beginning) before they are sent. */
  max_transcript_chars: z.number().int().min(500).max(200_000).default(12_000),
});

export type LlmConfig = z.infer<typeof llmConfigSchema>;
