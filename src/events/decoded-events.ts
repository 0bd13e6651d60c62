import { LeadstreamError } from '../errors/leadstream-error.js';
import { isTimeline } from './ai-analysis.js';
import type { CrmCommand } from './crm-command.js';
import type { EnrichedCall } from './enriched-call.js';
import { type RawCall, SOURCE_NAME_PATTERN } from './raw-call.js';

/*
 * Avro decoding already guarantees each event's shape against its reader schema; these add the rules
 * Avro cannot express, so a consumer never carries a value its own types would not allow.
 */

/** A field of a decoded RawCall that breaks the producer contract, with why (docs/producing-events.md). */
function rawCallProblem(call: RawCall): { field: string; reason: string; message: string } | undefined {
  if (call.tenant_id === '') return { field: 'tenant_id', reason: 'empty_tenant_id', message: 'is empty' };
  if (call.call_id === '') return { field: 'call_id', reason: 'empty_call_id', message: 'is empty' };
  if (typeof call.source_name === 'string' && !SOURCE_NAME_PATTERN.test(call.source_name)) {
    // Quoted as JSON and cut short: the reason goes to a log line and a dead-letter header.
    const shown = JSON.stringify(call.source_name.slice(0, 80));
    return {
      field: 'source_name',
      reason: 'invalid_source_name',
      message: `${shown} does not match ${SOURCE_NAME_PATTERN.source}`,
    };
  }
  if (call.duration_seconds !== null && call.duration_seconds < 0) {
    return { field: 'duration_seconds', reason: 'negative_duration_seconds', message: 'is negative' };
  }
  return undefined;
}

export function asRawCall(value: unknown): RawCall {
  const call = value as RawCall;
  const problem = rawCallProblem(call);
  if (problem) {
    throw new LeadstreamError('validation_error', `RawCall ${problem.field} ${problem.message}`, {
      details: { field: problem.field, reason: problem.reason },
    });
  }
  return call;
}

export function asEnrichedCall(value: unknown): EnrichedCall {
  const event = value as EnrichedCall;
  asRawCall(event.call);
  const { timeline, lead_score } = event.ai_analysis;
  if (!isTimeline(timeline)) {
    throw new LeadstreamError(
      'validation_error',
      `EnrichedCall ai_analysis.timeline "${timeline}" is not a timeline`,
    );
  }
  if (!Number.isInteger(lead_score) || lead_score < 0 || lead_score > 100) {
    throw new LeadstreamError(
      'validation_error',
      `EnrichedCall ai_analysis.lead_score ${lead_score} is not 0-100`,
    );
  }
  return event;
}

export function asCrmCommand(value: unknown): CrmCommand {
  const command = value as CrmCommand;
  // Commands are ordered by this key; one naming another tenant would be ordered with that tenant's.
  if (typeof command.contact_key === 'string' && !command.contact_key.startsWith(`${command.tenant_id}:`)) {
    throw new LeadstreamError('validation_error', "CrmCommand contact_key is not one of its tenant's");
  }
  for (const operation of command.operations) {
    let payload: unknown;
    try {
      payload = JSON.parse(operation.payload_json);
    } catch {
      payload = undefined;
    }
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      throw new LeadstreamError(
        'validation_error',
        `CrmCommand operation ${operation.ref}: payload_json is not an object`,
      );
    }
  }
  return command;
}
