import type { TenantConfig } from '../../config/tenants/tenant-config.js';
import { toLeadstreamError } from '../../errors/leadstream-error.js';
import { isCallRailCall, type RawCall } from '../../events/raw-call.js';
import type { Logger } from '../../observability/logger.js';
import { BACKFILL_SOURCE_NAME } from '../../producers/callrail-backfill/callrail-backfill.js';
import type { TranscriptSource } from './transcript-source.js';

export interface MissingTranscriptDeps {
  source: TranscriptSource;
  logger: Logger;
}

/**
 * Producers that asked CallRail for the call's transcript themselves: the backfill reads CallRail's call
 * list with `transcription` and `conversational_transcript`, so its null is CallRail's answer, and
 * asking again per call would spend the account's 10,000 requests a day (which the backfill shares) on
 * accounts without transcription.
 */
const ALREADY_ASKED_CALLRAIL: ReadonlySet<string> = new Set([BACKFILL_SOURCE_NAME]);

/**
 * A CallRail call whose webhook carried no transcript although something was recorded: CallRail's
 * Post-Call webhook fires after 20 minutes even when transcription is not done, and some accounts
 * leave transcripts out of webhooks. An unanswered call without voicemail has nothing to transcribe.
 */
function lacksTranscript(call: RawCall): boolean {
  if (!isCallRailCall(call)) return false;
  if (call.transcription !== null && call.transcription.trim() !== '') return false;
  return call.answered !== false || call.voicemail === true;
}

/**
 * The call with its transcript fetched from the source when the webhook lacked one. Whatever goes wrong
 * (no credentials, an API failure, no transcript there either), the call comes back as it was and is
 * scored from its metadata: a lead is never held back for its transcript. The transcript is never logged.
 */
export async function withMissingTranscript(
  call: RawCall,
  tenant: TenantConfig,
  deps: MissingTranscriptDeps,
): Promise<RawCall> {
  if (!lacksTranscript(call)) return call;
  const context = { tenant_id: call.tenant_id, call_id: call.call_id, workflow_step: 'transcript_fetch' };
  if (call.source_name !== null && ALREADY_ASKED_CALLRAIL.has(call.source_name)) {
    deps.logger.info(
      { ...context, status: 'skipped', source_name: call.source_name },
      `no transcript, and ${call.source_name} already asked CallRail for it: scored from call data`,
    );
    return call;
  }
  if (!deps.source.canFetch(tenant)) {
    // A tenant without API credentials chose not to have transcripts fetched: not a failure, and a
    // warning on every such call would drown the ones that are.
    deps.logger.info(
      { ...context, status: 'skipped' },
      'no transcript in the webhook and no CallRail API credentials (callrail.account_id, callrail.api_key): scored from call data',
    );
    return call;
  }
  try {
    const transcription = await deps.source.transcriptOf(call, tenant);
    if (transcription === null) {
      deps.logger.info(
        { ...context, status: 'none' },
        `${deps.source.name} has no transcript for the call: scored from call data`,
      );
      return call;
    }
    deps.logger.info(
      { ...context, status: 'fetched', transcript_chars: transcription.length },
      `transcript fetched from ${deps.source.name}`,
    );
    return { ...call, transcription };
  } catch (error) {
    const failure = toLeadstreamError(error);
    deps.logger.warn(
      {
        ...context,
        status: 'failed',
        error_type: failure.type,
        error_message: failure.message,
        ...failure.details,
      },
      `could not fetch the transcript from ${deps.source.name}: scored from call data`,
    );
    return call;
  }
}
