import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/embedded/embedded-analyzer.js';
import { scoreLead } from '../../../src/analysis/lead-score.js';
import { LlmAnalyzer } from '../../../src/analysis/llm/llm-analyzer.js';
import { llmConfigSchema } from '../../../src/analysis/llm/llm-config.js';
import { TenantAnalyzer } from '../../../src/analysis/tenant-analyzer.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { EnvSecretResolver } from '../../../src/secrets/env-secret-resolver.js';
import { emulatorOutbound } from '../../support/emulator-outbound.js';
import { captureLogLines } from '../../support/log-capture.js';
import { callFrom, tenantWith } from './labelled-cases.js';

const KEY = 'sk-test-7f3a';
const KEY_REFERENCE = 'secret:projects/demo/secrets/llm-key/versions/latest';
const MODEL = 'test-model';
const CUSTOMER_EMAIL = 'dana.whitfield@example.com';
const TRANSCRIPT = [
  'Agent: Thanks for calling Peak Roofing, how can I help?',
  'Caller: Hi, we had a leak after the storm and I think the whole roof needs replacing. Can someone come out this week for an estimate?',
  'Agent: Sure, what is a good time?',
  'Caller: Thursday morning works. We have about twenty thousand set aside.',
];

type Reply =
  | { kind: 'content'; content: string }
  | { kind: 'status'; status: number; body: unknown }
  | { kind: 'stall' };

interface SeenRequest {
  authorization: string | undefined;
  body: Record<string, unknown>;
}

const GOOD_FIELDS = {
  intent: 'appointment_booking',
  project_type: 'roof_replacement',
  timeline: 'immediate',
  budget_indicator: 'medium',
  sentiment: 'neutral',
  urgency: 'high',
  reasons: ['storm leak, wants a visit this week', 'about $20,000 set aside'],
};

function completion(content: string) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    model: MODEL,
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content, refusal: null } }],
  };
}

function openAiError(status: number, message: string) {
  return { kind: 'status' as const, status, body: { error: { message, type: 'invalid_request_error' } } };
}

/** What OpenAI refuses in a structured-output request: the fake refuses it too, with OpenAI's error shape. */
function requestProblem(body: Record<string, unknown>): string | undefined {
  if (body.model !== MODEL) return 'model';
  const messages = body.messages as Array<{ role?: unknown; content?: unknown }> | undefined;
  if (!Array.isArray(messages) || messages.length === 0) return 'messages';
  if (messages.some((m) => !['system', 'user'].includes(String(m.role)) || typeof m.content !== 'string'))
    return 'message shape';
  const format = body.response_format as
    | { type?: unknown; json_schema?: { name?: unknown; strict?: unknown; schema?: Record<string, unknown> } }
    | undefined;
  if (format?.type !== 'json_schema') return 'response_format.type';
  const spec = format.json_schema;
  if (typeof spec?.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) return 'json_schema.name';
  if (spec.strict !== true) return 'json_schema.strict';
  const schema = spec.schema;
  if (schema?.type !== 'object' || schema.additionalProperties !== false) return 'schema root';
  const properties = Object.keys((schema.properties as object | undefined) ?? {});
  const required = (schema.required as string[] | undefined) ?? [];
  if (properties.some((name) => !required.includes(name))) return 'strict schemas require every property';
  return undefined;
}

/** Everything the first request sent to the model, its messages joined. */
function sentText(): string {
  const messages = (seen[0]?.body.messages ?? []) as Array<{ content: string }>;
  return messages.map((message) => message.content).join('\n');
}

let server: FastifyInstance;
let baseUrl: string;
let nextReply: Reply = { kind: 'content', content: JSON.stringify(GOOD_FIELDS) };
const seen: SeenRequest[] = [];
const stalled: Array<() => void> = [];

beforeAll(async () => {
  // fetch keeps connections alive: closing must not wait for them.
  server = Fastify({ forceCloseConnections: true });
  server.post('/v1/chat/completions', async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    seen.push({ authorization: request.headers.authorization, body });
    if (request.headers.authorization !== `Bearer ${KEY}`)
      return reply.code(401).send(openAiError(401, 'Incorrect API key provided').body);
    const problem = requestProblem(body);
    if (problem) return reply.code(400).send(openAiError(400, `Invalid request: ${problem}`).body);
    if (nextReply.kind === 'stall') {
      await new Promise<void>((release) => stalled.push(release));
      return reply.send(completion(JSON.stringify(GOOD_FIELDS)));
    }
    if (nextReply.kind === 'status') return reply.code(nextReply.status).send(nextReply.body);
    return reply.send(completion(nextReply.content));
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  baseUrl = `http://127.0.0.1:${address.port}/v1`;
});

afterEach(() => {
  for (const release of stalled.splice(0)) release();
  seen.length = 0;
  nextReply = { kind: 'content', content: JSON.stringify(GOOD_FIELDS) };
});

afterAll(async () => {
  await server.close();
});

function roofer(llm: Record<string, unknown> = {}) {
  return tenantWith({
    project_types: [{ name: 'roof_replacement', keywords: ['roof', 'shingle*'] }],
    llm: { base_url: baseUrl, model: MODEL, api_key: KEY_REFERENCE, timeout_ms: 2000, ...llm },
  });
}

function setup() {
  const captured = captureLogLines();
  const metrics = new Metrics({ processMetrics: false });
  const secrets = new EnvSecretResolver({ LEADSTREAM_SECRET_LLM_KEY: KEY });
  const analyzer = new TenantAnalyzer({
    llm: new LlmAnalyzer(secrets, emulatorOutbound),
    fallback: new EmbeddedAnalyzer(),
    metrics,
    logger: createLogger({ level: 'warn', destination: captured.stream }),
  });
  const fallbacks = async () => {
    const { values } = await metrics.analysisFallbacks.get();
    return Object.fromEntries(values.map((value) => [value.labels.reason, value.value]));
  };
  return { analyzer, fallbacks, logs: captured.lines, rawLogs: captured.text };
}

const call = callFrom({
  id: 'call-roof-1',
  transcript: TRANSCRIPT,
  customer_name: 'Dana Whitfield',
  customer_phone: '+15035550142',
  customer_email: CUSTOMER_EMAIL,
  duration_seconds: 140,
});

describe('the LLM analyzer against an OpenAI-compatible endpoint', () => {
  it('returns the model’s fields, scored by the lead-score formula, with its reasons after the score’s', async () => {
    const { analyzer, fallbacks } = setup();
    const result = await analyzer.analyze(call, roofer());

    const { reasons: _reasons, ...fields } = GOOD_FIELDS;
    const score = scoreLead(call, fields as Parameters<typeof scoreLead>[1]);
    expect(result).toEqual({
      ...fields,
      lead_score: score.lead_score,
      score_reasons: [
        ...score.score_reasons,
        'llm: storm leak, wants a visit this week',
        'llm: about $20,000 set aside',
      ],
      analyzer: `llm:${MODEL}`,
    });
    expect(result.lead_score).toBeGreaterThan(70);
    expect(await fallbacks()).toEqual({});
  });

  it('sends the resolved key and a strict JSON-schema request naming the tenant’s project types', async () => {
    const { analyzer } = setup();
    await analyzer.analyze(call, roofer());

    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.authorization).toBe(`Bearer ${KEY}`);
    const body = request?.body as {
      messages: Array<{ role: string; content: string }>;
      response_format: { json_schema: { schema: { properties: Record<string, { enum?: string[] }> } } };
    };
    const properties = body.response_format.json_schema.schema.properties;
    expect(properties.project_type?.enum).toEqual([
      'kitchen',
      'bathroom',
      'whole_home',
      'addition',
      'unknown',
      'roof_replacement',
    ]);
    expect(properties.sentiment?.enum).toEqual(['positive', 'neutral', 'negative']);
    expect(Object.keys(properties).sort()).toEqual(
      ['budget_indicator', 'intent', 'project_type', 'reasons', 'sentiment', 'timeline', 'urgency'].sort(),
    );
    const sent = sentText();
    expect(sent).toContain('the whole roof needs replacing');
    expect(sent).toContain('roof_replacement: roof, shingle*');
    expect(sent).not.toContain(CUSTOMER_EMAIL);
    expect(sent).not.toContain('+15035550142');
  });

  it('sends a form’s message fields but not its contact fields', async () => {
    const { analyzer } = setup();
    const form = callFrom({
      id: 'form-1',
      source_kind: 'web_form',
      form_fields: {
        name: 'Dana Whitfield',
        email: CUSTOMER_EMAIL,
        phone: '503-555-0142',
        address: '12 Alder St',
        message: 'Shingles blew off in the storm, need the roof replaced soon',
      },
    });
    const result = await analyzer.analyze(form, roofer());
    expect(result.analyzer).toBe(`llm:${MODEL}`);
    const sent = sentText();
    expect(sent).toContain('message: Shingles blew off in the storm');
    for (const secretive of ['Dana', CUSTOMER_EMAIL, '503-555-0142', 'Alder'])
      expect(sent).not.toContain(secretive);
  });

  it('cuts a long transcript to max_transcript_chars', async () => {
    const { analyzer } = setup();
    const long = callFrom({
      id: 'long',
      transcript: Array(400).fill('Caller: we want the roof redone before winter.'),
    });
    await analyzer.analyze(long, roofer({ max_transcript_chars: 1000 }));
    const messages = seen[0]?.body.messages as Array<{ content: string }> | undefined;
    const user = messages?.[1]?.content ?? '';
    expect(user).toContain('[transcript cut here]');
    expect(user.length).toBeLessThan(1200);
  });
});

describe('falling back to the embedded analyzer', () => {
  const embedded = new EmbeddedAnalyzer();

  it.each([
    [
      'a reply that is not JSON',
      { kind: 'content', content: 'Sure! The caller wants a roof.' },
      'invalid_reply',
    ],
    [
      'a value outside its enum',
      { kind: 'content', content: JSON.stringify({ ...GOOD_FIELDS, timeline: 'next_week' }) },
      'invalid_reply',
    ],
    [
      'a project type the tenant did not declare',
      { kind: 'content', content: JSON.stringify({ ...GOOD_FIELDS, project_type: 'gutters' }) },
      'invalid_reply',
    ],
    [
      'a missing field',
      { kind: 'content', content: JSON.stringify({ ...GOOD_FIELDS, urgency: undefined }) },
      'invalid_reply',
    ],
    ['a completion without choices', { kind: 'status', status: 200, body: { choices: [] } }, 'invalid_reply'],
    ['HTTP 500', openAiError(500, 'The server had an error while processing your request.'), 'http_error'],
    ['HTTP 429', openAiError(429, 'Rate limit reached for requests'), 'http_error'],
  ] as Array<[string, Reply, string]>)(
    'on %s: embedded analysis, counted as %s',
    async (_what, reply, reason) => {
      const { analyzer, fallbacks } = setup();
      nextReply = reply;
      const tenant = roofer();
      const result = await analyzer.analyze(call, tenant);

      expect(seen).toHaveLength(1);
      expect(result).toEqual(embedded.analyzeNow(call, tenant));
      expect(result.analyzer).toBe('embedded');
      expect(await fallbacks()).toEqual({ [reason]: 1 });
    },
  );

  it('honours timeout_ms: a stalled endpoint is abandoned and the embedded analyzer answers', async () => {
    const { analyzer, fallbacks } = setup();
    nextReply = { kind: 'stall' };
    const started = performance.now();
    const result = await analyzer.analyze(call, roofer({ timeout_ms: 150 }));
    const elapsed = performance.now() - started;

    expect(result.analyzer).toBe('embedded');
    // The fake never answers a stalled request: only the timeout can have ended this one.
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(await fallbacks()).toEqual({ timeout: 1 });
  });

  it('counts a refused key as an HTTP error (the fake checks the bearer token)', async () => {
    const { analyzer, fallbacks } = setup();
    const result = await analyzer.analyze(call, roofer({ api_key: 'sk-wrong' }));
    expect(seen[0]?.authorization).toBe('Bearer sk-wrong');
    expect(result.analyzer).toBe('embedded');
    expect(await fallbacks()).toEqual({ http_error: 1 });
  });

  it('counts a key whose secret cannot be read as a secret failure, without calling the endpoint', async () => {
    const { analyzer, fallbacks } = setup();
    const result = await analyzer.analyze(
      call,
      roofer({ api_key: 'secret:projects/demo/secrets/unset-key/versions/latest' }),
    );
    expect(seen).toHaveLength(0);
    expect(result.analyzer).toBe('embedded');
    expect(await fallbacks()).toEqual({ secret: 1 });
  });

  it('counts an unreachable endpoint as a network failure', async () => {
    const { analyzer, fallbacks } = setup();
    const closed = Fastify();
    await closed.listen({ host: '127.0.0.1', port: 0 });
    const { port } = closed.server.address() as { port: number };
    await closed.close();
    const result = await analyzer.analyze(call, roofer({ base_url: `http://127.0.0.1:${port}/v1` }));
    expect(result.analyzer).toBe('embedded');
    expect(await fallbacks()).toEqual({ network: 1 });
  });

  it('logs a warning with the call’s identifiers and never the transcript or the key', async () => {
    const { analyzer, logs, rawLogs } = setup();
    nextReply = openAiError(500, 'The server had an error while processing your request.');
    await analyzer.analyze(call, roofer());

    expect(logs()).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        tenant_id: call.tenant_id,
        call_id: 'call-roof-1',
        workflow_step: 'analysis',
        status: 'fallback',
        error_type: 'analysis_error',
        fallback_reason: 'http_error',
      }),
    ]);
    expect(rawLogs()).toContain('HTTP 500');
    expect(rawLogs()).not.toContain('roof needs replacing');
    expect(rawLogs()).not.toContain(KEY);
  });

  it('cuts the key out of an error answer that quotes it back', async () => {
    const { analyzer, fallbacks, rawLogs } = setup();
    nextReply = openAiError(401, `Incorrect API key provided: ${KEY}. You can find your API key at ...`);
    const result = await analyzer.analyze(call, roofer());

    expect(result.analyzer).toBe('embedded');
    expect(await fallbacks()).toEqual({ http_error: 1 });
    expect(rawLogs()).toContain('HTTP 401: Incorrect API key provided: [redacted].');
    expect(rawLogs()).not.toContain(KEY);
  });

  it("logs the message of a server that answers errors in vLLM's shape, not its JSON", async () => {
    const { analyzer, fallbacks, rawLogs } = setup();
    nextReply = {
      kind: 'status',
      status: 404,
      body: { object: 'error', message: 'The model does not exist.', type: 'NotFoundError', code: 404 },
    };
    await analyzer.analyze(call, roofer());

    expect(await fallbacks()).toEqual({ http_error: 1 });
    expect(rawLogs()).toContain('HTTP 404: The model does not exist.');
  });

  it('does not call an endpoint for a tenant without analysis.llm', async () => {
    const { analyzer, fallbacks } = setup();
    const tenant = tenantWith({});
    const result = await analyzer.analyze(call, tenant);
    expect(seen).toHaveLength(0);
    expect(result).toEqual(embedded.analyzeNow(call, tenant));
    expect(await fallbacks()).toEqual({});
  });
});

describe('the analysis.llm configuration block', () => {
  it('fills the defaults and drops a trailing slash from base_url', () => {
    expect(llmConfigSchema.parse({ base_url: 'http://localhost:11434/v1/', model: 'llama3.1' })).toEqual({
      base_url: 'http://localhost:11434/v1',
      model: 'llama3.1',
      timeout_ms: 8000,
      max_transcript_chars: 12_000,
    });
  });

  it('refuses unknown keys, a timeout over two minutes and a base URL that is not http(s)', () => {
    const base = { base_url: 'https://api.openai.com/v1', model: 'gpt-4o-mini' };
    expect(llmConfigSchema.safeParse({ ...base, modle: 'x' }).error?.issues[0]?.message).toContain(
      'unknown key "modle"',
    );
    expect(llmConfigSchema.safeParse({ ...base, timeout_ms: 120_001 }).success).toBe(false);
    expect(llmConfigSchema.safeParse({ ...base, base_url: 'ftp://example.com' }).success).toBe(false);
  });
});
