import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedAnalyzer } from '../../../src/analysis/embedded/embedded-analyzer.js';
import { splitTurns } from '../../../src/analysis/embedded/transcript-turns.js';
import { CallRailTranscripts } from '../../../src/analysis/transcripts/callrail-transcripts.js';
import { withMissingTranscript } from '../../../src/analysis/transcripts/missing-transcript.js';
import { DirectoryTenantSource } from '../../../src/config/tenants/directory-tenant-source.js';
import { type TenantConfig, tenantConfigSchema } from '../../../src/config/tenants/tenant-config.js';
import { enricherStage } from '../../../src/consumers/enricher.js';
import type { EnrichedCall } from '../../../src/events/enriched-call.js';
import { AvroSerde } from '../../../src/kafka/avro-serde.js';
import { createLogger } from '../../../src/observability/logger.js';
import { BACKFILL_SOURCE_NAME } from '../../../src/producers/callrail-backfill/callrail-backfill.js';
import { EnvSecretResolver } from '../../../src/secrets/env-secret-resolver.js';
import { fixedClock } from '../../../src/time/clock.js';
import { type CallRailApi, startCallRailApi } from '../../emulators/callrail/calls-api.js';
import { emulatorOutbound } from '../../support/emulator-outbound.js';
import { failureOf } from '../../support/failure-of.js';
import { captureLogLines } from '../../support/log-capture.js';
import { callFrom } from './labelled-cases.js';

const ACCOUNT = 'ACC8154748ae6bd4e278a7cddd38a662f4f';
const KEY = 'f3c1a9d27b6e4c0d8a5f2e91b7c4d6a0';
const KEY_REFERENCE = 'secret:projects/acme/secrets/callrail-api-key/versions/latest';
const CALL_ID = 'CAL8154748ae6bd4e278a7cddd38a662f4f';
const TURNS_CALL_ID = 'CAL0c5e1a7f2b9d4e6a8c3f1b0d2e4a6c8e9f';
const BROKEN_TURNS_CALL_ID = 'CAL9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a';
const TRANSCRIPT = [
  'Agent: Thanks for calling Acme Remodeling, this is Dana.',
  "Caller: Hi, we'd like a quote to redo our kitchen, new cabinets and counters, budget around fifty thousand.",
  'Agent: When would you like to start?',
  'Caller: As soon as possible, this week if you can come out.',
].join('\n');

let api: CallRailApi;
const secrets = new EnvSecretResolver({ LEADSTREAM_SECRET_CALLRAIL_API_KEY: KEY });
/** Short retries; a timeout no local answer outlasts on a loaded machine (the stall test sets its own). */
const fast = {
  timeoutMs: 10_000,
  retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
  outbound: emulatorOutbound,
};

beforeAll(async () => {
  api = await startCallRailApi({
    accountId: ACCOUNT,
    apiKey: KEY,
    calls: [
      {
        id: CALL_ID,
        answered: true,
        duration: 214,
        customer_phone_number: '+15125550143',
        start_time: '2026-11-25T10:02:11.000-06:00',
        transcription: TRANSCRIPT,
      },
      {
        id: '2114526371',
        answered: true,
        duration: 35,
        customer_phone_number: '+15125550144',
        start_time: '2026-11-25T11:00:00.000-06:00',
        transcription: null,
      },
      {
        id: TURNS_CALL_ID,
        answered: true,
        duration: 95,
        customer_phone_number: '+15125550145',
        start_time: '2026-11-25T12:00:00.000-06:00',
        // The plain transcription does not say who spoke; the turns do.
        transcription: 'thanks for calling acme how can i help we need a new roof quote',
        conversational_transcript: [
          { speaker: 'Agent', phrase: 'Thanks for calling Acme, how can I help?' },
          { speaker: 'Customer', phrase: 'We need a quote for a new roof.' },
        ],
      },
      {
        id: BROKEN_TURNS_CALL_ID,
        answered: true,
        duration: 95,
        customer_phone_number: '+15125550146',
        start_time: '2026-11-25T12:30:00.000-06:00',
        transcription: null,
        conversational_transcript: [{ speaker: 'Agent', phrase: { words: 'not text' } }],
      },
    ],
  });
});

afterEach(() => {
  api.reset();
});

afterAll(async () => {
  await api.close();
});

function tenant(callrail: Record<string, unknown> = {}): TenantConfig {
  return tenantConfigSchema.parse({
    tenant_id: 'tenant_eval',
    callrail: {
      signing_secret: 'secret:projects/acme/secrets/callrail-signing/versions/latest',
      account_id: ACCOUNT,
      api_key: KEY_REFERENCE,
      api_base_url: api.baseUrl,
      ...callrail,
    },
    crm_config: { type: 'hubspot', api_token: 'unused', field_mappings: { phone: 'customer_phone' } },
  });
}

const webhookCall = callFrom({ id: CALL_ID, duration_seconds: 214, start_time: '2026-11-25T16:02:11Z' });

describe('the CallRail transcript source', () => {
  it('fetches the transcript fields of the call with the account key', async () => {
    const source = new CallRailTranscripts(secrets, fast);
    expect(await source.transcriptOf(webhookCall, tenant())).toBe(TRANSCRIPT);
    expect(api.requests).toEqual([
      {
        url: `/v3/a/${ACCOUNT}/calls/${CALL_ID}.json?fields=transcription,conversational_transcript`,
        authorization: `Token token="${KEY}"`,
      },
    ]);
  });

  it("reads the conversational_transcript's turns, which say who spoke, before the plain transcription", async () => {
    const source = new CallRailTranscripts(secrets, fast);
    const transcript = await source.transcriptOf(callFrom({ id: TURNS_CALL_ID }), tenant());
    expect(transcript).toBe(
      'Agent: Thanks for calling Acme, how can I help?\nCustomer: We need a quote for a new roof.',
    );
    expect(splitTurns(transcript ?? '')).toEqual([
      { speaker: 'agent', text: 'Thanks for calling Acme, how can I help?' },
      { speaker: 'caller', text: 'We need a quote for a new roof.' },
    ]);
  });

  it('reports turns whose words are not text as an API error, without retrying', async () => {
    const source = new CallRailTranscripts(secrets, fast);
    const error = await failureOf(source.transcriptOf(callFrom({ id: BROKEN_TURNS_CALL_ID }), tenant()));
    expect(error).toMatchObject({ type: 'callrail_api_error', retryable: false });
    expect(error.message).toContain('conversational_transcript');
    expect(api.requests).toHaveLength(1);
  });

  it('answers null when CallRail has no transcript for the call yet', async () => {
    const source = new CallRailTranscripts(secrets, fast);
    expect(await source.transcriptOf(callFrom({ id: '2114526371' }), tenant())).toBeNull();
  });

  it('reports refused credentials without retrying them', async () => {
    const wrongKey = new EnvSecretResolver({ LEADSTREAM_SECRET_CALLRAIL_API_KEY: 'not-the-key' });
    const error = await failureOf(
      new CallRailTranscripts(wrongKey, fast).transcriptOf(webhookCall, tenant()),
    );
    expect(error).toMatchObject({
      type: 'callrail_api_error',
      retryable: false,
      details: { status_code: 401 },
    });
    expect(error.message).toContain('HTTP Token: Access denied.');
    expect(error.message).toContain('callrail.api_key');
    expect(api.requests).toHaveLength(1);
  });

  it('reports an unknown call or account as not found, without retrying', async () => {
    const source = new CallRailTranscripts(secrets, fast);
    const unknownCall = await failureOf(source.transcriptOf(callFrom({ id: 'CALnope' }), tenant()));
    expect(unknownCall).toMatchObject({ type: 'callrail_api_error', details: { status_code: 404 } });
    const otherAccount = await failureOf(
      source.transcriptOf(webhookCall, tenant({ account_id: 'ACCother' })),
    );
    expect(otherAccount.message).toContain('check callrail.account_id');
    expect(api.requests).toHaveLength(2);
  });

  it('retries a 429 and a 5xx and then gets the transcript', async () => {
    api.fault({ kind: 'status', status: 429 });
    api.fault({ kind: 'status', status: 503 });
    const source = new CallRailTranscripts(secrets, fast);
    expect(await source.transcriptOf(webhookCall, tenant())).toBe(TRANSCRIPT);
    expect(api.requests).toHaveLength(3);
  });

  it("measures a proxy's Retry-After date against the injected clock", async () => {
    api.fault({ kind: 'status', status: 503, retryAfter: 'Wed, 25 Nov 2026 17:21:00 GMT' });
    const source = new CallRailTranscripts(secrets, {
      ...fast,
      retry: { ...fast.retry, maxAttempts: 1 },
      clock: fixedClock('2026-11-25T17:20:00Z'),
    });
    const error = await failureOf(source.transcriptOf(webhookCall, tenant()));
    expect(error).toMatchObject({
      type: 'callrail_unavailable',
      retryAfterMs: 60_000,
      message: 'CallRail API answered 503: Service unavailable',
    });
  });

  it('gives up after its attempts when the API keeps failing', async () => {
    api.fault({ kind: 'status', status: 500 }, 5);
    const error = await failureOf(new CallRailTranscripts(secrets, fast).transcriptOf(webhookCall, tenant()));
    expect(error).toMatchObject({
      type: 'callrail_unavailable',
      retryable: true,
      details: { status_code: 500 },
    });
    expect(api.requests).toHaveLength(3);
  });

  it('stops waiting after its timeout, and does not ask again', async () => {
    api.fault({ kind: 'stall', ms: 2_000 });
    // Had it waited for the stalled answer, the call would have come back instead of this error.
    const error = await failureOf(
      new CallRailTranscripts(secrets, { ...fast, timeoutMs: 300 }).transcriptOf(webhookCall, tenant()),
    );
    expect(error.type).toBe('callrail_unavailable');
    expect(error.message).toContain('no answer within 300 ms');
    expect(api.requests).toHaveLength(1);
  });
});

describe('a call whose webhook carried no transcript', () => {
  function setup() {
    const captured = captureLogLines();
    const deps = {
      source: new CallRailTranscripts(secrets, fast),
      logger: createLogger({ level: 'info', destination: captured.stream }),
    };
    return { deps, logs: captured.lines, rawLogs: captured.text };
  }
  const analyzer = new EmbeddedAnalyzer();

  it('is analysed from the transcript CallRail holds, which the enriched call then carries', async () => {
    const { deps, rawLogs } = setup();
    const call = await withMissingTranscript(webhookCall, tenant(), deps);
    expect(call.transcription).toBe(TRANSCRIPT);
    const analysis = analyzer.analyzeNow(call, tenant());
    expect(analysis).toMatchObject({
      intent: 'quote_request',
      project_type: 'kitchen',
      timeline: 'immediate',
      budget_indicator: 'high',
    });
    expect(rawLogs()).not.toContain('fifty thousand');
  });

  it('is scored from its metadata, with a warning naming the failure, when the API fails', async () => {
    const { deps, logs, rawLogs } = setup();
    const wrongKey = { ...deps, source: new CallRailTranscripts(new EnvSecretResolver({}), fast) };
    const call = await withMissingTranscript(webhookCall, tenant(), wrongKey);
    expect(call).toBe(webhookCall);
    expect(analyzer.analyzeNow(call, tenant()).score_reasons).toContain(
      'no transcript: scored from call data',
    );
    expect(logs()).toEqual([
      expect.objectContaining({
        severity: 'WARNING',
        tenant_id: 'tenant_eval',
        call_id: CALL_ID,
        workflow_step: 'transcript_fetch',
        status: 'failed',
        error_type: 'secret_error',
      }),
    ]);

    api.fault({ kind: 'status', status: 429 }, 3);
    await withMissingTranscript(webhookCall, tenant(), deps);
    expect(logs()[1]).toMatchObject({ error_type: 'callrail_unavailable', status_code: 429 });
    expect(rawLogs()).not.toContain(KEY);
  });

  it('is scored from its metadata, logged as skipped (not a warning), when the tenant has no CallRail API credentials', async () => {
    const { deps, logs } = setup();
    const withoutApi = tenant({ account_id: undefined, api_key: undefined });
    expect(await withMissingTranscript(webhookCall, withoutApi, deps)).toBe(webhookCall);
    expect(api.requests).toHaveLength(0);
    expect(logs()).toEqual([
      expect.objectContaining({
        severity: 'INFO',
        call_id: CALL_ID,
        workflow_step: 'transcript_fetch',
        status: 'skipped',
      }),
    ]);
  });

  it("is not looked up again when the CallRail backfill already asked CallRail for it; another producer's is", async () => {
    const { deps, logs } = setup();
    const backfilled = { ...webhookCall, source_name: BACKFILL_SOURCE_NAME };
    expect(await withMissingTranscript(backfilled, tenant(), deps)).toBe(backfilled);
    expect(api.requests).toHaveLength(0);
    expect(logs()).toEqual([
      expect.objectContaining({
        severity: 'INFO',
        call_id: CALL_ID,
        workflow_step: 'transcript_fetch',
        status: 'skipped',
        source_name: BACKFILL_SOURCE_NAME,
      }),
    ]);

    const imported = { ...webhookCall, source_name: 'acme-callrail-import' };
    expect((await withMissingTranscript(imported, tenant(), deps)).transcription).toBe(TRANSCRIPT);
    expect(api.requests).toHaveLength(1);
  });

  it('is not looked up when nothing was recorded, nor when it is a form', async () => {
    const { deps, logs } = setup();
    const missed = callFrom({ id: CALL_ID, answered: false, voicemail: false });
    const form = callFrom({ id: 'FRM1', source_kind: 'web_form' });
    expect(await withMissingTranscript(missed, tenant(), deps)).toBe(missed);
    expect(await withMissingTranscript(form, tenant(), deps)).toBe(form);
    expect(api.requests).toHaveLength(0);
    expect(logs()).toEqual([]);
  });
});

/** Writes events as JSON, so the test reads what the enricher would have written without a registry. */
class JsonSerde extends AvroSerde {
  override encode(_topic: string, _name: string, value: unknown): Buffer {
    return Buffer.from(JSON.stringify(value));
  }
}

describe('the enricher stage', () => {
  it('analyses a call from the transcript it fetched, and passes the transcript on', async () => {
    const stage = enricherStage({
      serde: new JsonSerde({ url: 'http://127.0.0.1:1' }),
      tenants: DirectoryTenantSource.fromConfigs([tenant()]),
      analyzer: new EmbeddedAnalyzer(),
      transcripts: {
        source: new CallRailTranscripts(secrets, fast),
        logger: createLogger({ level: 'silent' }),
      },
      clock: fixedClock('2026-11-25T17:00:00Z'),
      topics: { input: 'raw-calls', output: 'enriched-calls' },
    });
    const [message] = await stage.handle(webhookCall);
    const enriched = JSON.parse(String(message?.value)) as EnrichedCall;
    expect(enriched.call.transcription).toBe(TRANSCRIPT);
    expect(enriched.ai_analysis).toMatchObject({ intent: 'quote_request', project_type: 'kitchen' });
  });
});

describe("the tenant's callrail block", () => {
  const base = { tenant_id: 't', crm_config: { type: 'hubspot', api_token: 'x', field_mappings: {} } };

  it('wants account_id and api_key together', () => {
    const result = tenantConfigSchema.safeParse({
      ...base,
      callrail: { signing_secret: 's', account_id: ACCOUNT },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['callrail', 'api_key'] });
  });

  it('names the key meant when one is misspelt', () => {
    const result = tenantConfigSchema.safeParse({
      ...base,
      callrail: { signing_secret: 's', account_id: ACCOUNT, api_key: KEY_REFERENCE, apikey: 'x' },
    });
    expect(result.error?.issues[0]?.message).toContain('unknown key "apikey" (did you mean "api_key"?)');
  });
});
