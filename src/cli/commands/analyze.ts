import { readFile } from 'node:fs/promises';
import { EmbeddedAnalyzer } from '../../analysis/embedded/embedded-analyzer.js';
import { splitTurns } from '../../analysis/embedded/transcript-turns.js';
import { readTenantFile } from '../../config/tenants/directory-tenant-source.js';
import { type TenantConfig, tenantConfigSchema } from '../../config/tenants/tenant-config.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import { type RawCall, unknownCall } from '../../events/raw-call.js';
import { rawCallFromJson } from '../../events/raw-call-json.js';
import { rawCallFromCallRail } from '../../producers/gateway/callrail-payload.js';
import { isJsonObject } from '../../producers/gateway/input-values.js';
import type { CliIO } from '../cli-command.js';
import { defineCommand } from '../define-command.js';

const usage = `usage: leadstream analyze [FILE|-] [--tenant TENANT.json] [--now ISO-TIME]

Prints the analysis the embedded analyzer makes of a call: intent, project type, timeline, budget,
sentiment, urgency, lead score and the reasons for the score, as JSON. FILE (or standard input when it
is absent or -) holds a plain transcript ("Agent: ..." / "Caller: ..." lines), analysed as an answered
call, a RawCall as JSON (schemas/avro/RawCall.avsc; times as epoch milliseconds or ISO), or a CallRail
call as its webhook or API sends it (resource_id, transcription, conversational_transcript, ...).
--tenant adds that tenant's own project types (its "analysis" block). --now is when a plain transcript's
call took place, which "next month" counts from (default: now). Nothing is fetched or sent.

A transcript may have one turn a line or its labels inline on one line; labels Agent/Caller, Rep/Customer,
Speaker 1/Speaker 2 or names, in any case, with or without timestamps; without labels it is all the
caller's. How it was read, the turns and words per speaker, is printed on standard error, so that a
transcript whose caller was not found is seen: "read 6 turns: 3 agent (41 words), 3 caller (57 words)".`;

/** How the analyzer split the transcript: a caller with no turns or few words means little was analysed. */
function readingOf(call: RawCall): string {
  if (call.transcription === null || call.transcription.trim() === '') return 'no transcript';
  const turns = splitTurns(call.transcription);
  const count = { agent: { turns: 0, words: 0 }, caller: { turns: 0, words: 0 } };
  for (const { speaker, text } of turns) {
    count[speaker].turns += 1;
    count[speaker].words += text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
  }
  const words = (n: number) => `${n} word${n === 1 ? '' : 's'}`;
  const reading = `read ${turns.length} turn${turns.length === 1 ? '' : 's'}: ${count.agent.turns} agent (${words(count.agent.words)}), ${count.caller.turns} caller (${words(count.caller.words)})`;
  return count.caller.turns === 0
    ? `${reading}; no caller turns: nothing the caller said was analysed`
    : reading;
}

/** A CallRail call object (webhook or API) rather than a RawCall: CallRail's id, no RawCall call_id. */
function isCallRailCall(body: unknown): body is Record<string, unknown> {
  return (
    isJsonObject(body) &&
    body.call_id === undefined &&
    (body.resource_id !== undefined || body.id !== undefined)
  );
}

/** The analyzer reads only the tenant's analysis block; without --tenant that block is empty. */
const NO_TENANT_VOCABULARY: TenantConfig = tenantConfigSchema.parse({
  tenant_id: 'cli',
  crm_config: { type: 'hubspot', api_token: 'unused', field_mappings: {} },
});

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function callFromTranscript(transcript: string, tenantId: string, at: number): RawCall {
  return {
    ...unknownCall({ call_id: 'cli', tenant_id: tenantId, received_at: at }),
    answered: true,
    voicemail: false,
    transcription: transcript,
    start_time: at,
  };
}

async function loadTenant(file: string | undefined, io: CliIO): Promise<TenantConfig | undefined> {
  if (file === undefined) return NO_TENANT_VOCABULARY;
  const tenant = await readTenantFile(file);
  for (const warning of tenant.warnings)
    io.stderr.write(`${file}: warning: ${warning.path}: ${warning.message}\n`);
  if (!tenant.config) {
    for (const issue of tenant.issues) io.stderr.write(`${file}: ${issue.path}: ${issue.message}\n`);
  }
  return tenant.config;
}

export const analyzeCommand = defineCommand({
  name: 'analyze',
  summary: 'print the analysis and lead score of a transcript or RawCall',
  usage,
  options: { tenant: { type: 'string' }, now: { type: 'string' } },
  positionals: true,
  async run({ values, positionals, refuse }, io) {
    if (positionals.length > 1) return refuse(`one FILE at most, got ${positionals.length}`);
    const now = values.now === undefined ? new Date() : new Date(values.now);
    if (Number.isNaN(now.getTime())) return refuse(`--now "${values.now}" is not an ISO date-time`);
    const tenant = await loadTenant(values.tenant, io);
    if (!tenant) return 1;

    const file = positionals[0] ?? '-';
    const name = file === '-' ? '(stdin)' : file;
    const text = file === '-' ? await readAll(io.stdin) : await readFile(file, 'utf8');
    let call: RawCall;
    if (text.trimStart().startsWith('{')) {
      try {
        const body: unknown = JSON.parse(text);
        call = isCallRailCall(body)
          ? rawCallFromCallRail(body, tenant.tenant_id, now.getTime())
          : rawCallFromJson(body);
      } catch (error) {
        const reason =
          error instanceof LeadstreamError ? error.message : `not valid JSON: ${(error as Error).message}`;
        io.stderr.write(`${name}: ${reason}\n`);
        return 1;
      }
      if (values.tenant !== undefined && call.tenant_id !== tenant.tenant_id) {
        io.stderr.write(
          `${name}: warning: the call belongs to ${call.tenant_id}, analysed with ${tenant.tenant_id}'s vocabulary\n`,
        );
      }
    } else if (text.trim() === '') {
      io.stderr.write(`${name}: empty: expected a transcript or a RawCall JSON\n`);
      return 1;
    } else {
      call = callFromTranscript(text, tenant.tenant_id, now.getTime());
    }
    const analysis = new EmbeddedAnalyzer().analyzeNow(call, tenant);
    io.stderr.write(`${name}: ${readingOf(call)}\n`);
    io.stdout.write(`${JSON.stringify(analysis, null, 2)}\n`);
    return 0;
  },
});
