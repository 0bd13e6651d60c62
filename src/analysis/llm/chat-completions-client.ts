import { z } from 'zod';
import { transportReason } from '../../http/transport-reason.js';
import { vendorMessage } from '../../http/vendor-message.js';
import type { OutboundGuard } from '../../outbound/outbound-guard.js';
import { outboundRefusalIn } from '../../outbound/outbound-refusal.js';
import type { ChatMessage } from './analysis-prompt.js';
import { llmFailure } from './llm-failure.js';

export interface ChatCompletionsEndpoint {
  /** Without the trailing `/chat/completions`. */
  baseUrl: string;
  apiKey: string | undefined;
  timeoutMs: number;
  /** What the tenant's base_url may reach; redirects are not followed. */
  outbound: OutboundGuard;
}

export interface StructuredChatRequest {
  model: string;
  messages: ChatMessage[];
  /** The JSON schema the reply must follow (OpenAI strict structured output). */
  schemaName: string;
  schema: Record<string, unknown>;
}

/** The part of a chat-completions response that is read; the rest varies between servers. */
const completionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
        }),
      }),
    )
    .min(1),
});

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/**
 * One chat completion with a JSON-schema-constrained reply, returning the reply's text. The timeout
 * covers the whole exchange, the body included: a server that sends headers and then stalls is as slow
 * as one that never answers.
 */
export async function completeStructuredChat(
  endpoint: ChatCompletionsEndpoint,
  request: StructuredChatRequest,
): Promise<string> {
  const signal = AbortSignal.timeout(endpoint.timeoutMs);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (endpoint.apiKey !== undefined) headers.authorization = `Bearer ${endpoint.apiKey}`;
  let status: number;
  let text: string;
  try {
    const response = await endpoint.outbound.fetch(`${endpoint.baseUrl}/chat/completions`, {
      method: 'POST',
      headers,
      signal,
      body: JSON.stringify({
        model: request.model,
        messages: request.messages,
        temperature: 0,
        response_format: {
          type: 'json_schema',
          json_schema: { name: request.schemaName, strict: true, schema: request.schema },
        },
      }),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    // Kept as it is: the analysis falls back as for any unreachable endpoint, logged with its own type.
    const refused = outboundRefusalIn(error);
    if (refused) throw refused;
    if (isTimeout(error) || signal.aborted)
      throw llmFailure('timeout', `no reply within ${endpoint.timeoutMs} ms`, { cause: error });
    throw llmFailure('network', `the endpoint could not be reached: ${transportReason(error)}`, {
      cause: error,
    });
  }
  if (status < 200 || status > 299) {
    // Some servers quote the key they refused; the message goes to logs.
    const message = endpoint.apiKey ? text.split(endpoint.apiKey).join('[redacted]') : text;
    throw llmFailure('http_error', `HTTP ${status}: ${vendorMessage(message)}`, {
      details: { status_code: status },
    });
  }

  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw llmFailure('invalid_reply', 'the response is not JSON', { cause: error });
  }
  const completion = completionSchema.safeParse(body);
  if (!completion.success) throw llmFailure('invalid_reply', 'the response is not a chat completion');
  const choice = completion.data.choices[0];
  if (choice?.message.refusal) throw llmFailure('invalid_reply', 'the model refused to answer');
  if (!choice?.message.content) throw llmFailure('invalid_reply', 'the completion has no content');
  return choice.message.content;
}
