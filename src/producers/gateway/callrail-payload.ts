import type { RawCall } from '../../events/raw-call.js';
import { jsonDepthWithin } from './body-shape.js';
import { contactFromForm, formFieldsOf } from './form-fields.js';
import { GatewayError } from './gateway-error.js';
import {
  email,
  flag,
  instant,
  isJsonObject,
  type JsonObject,
  phone,
  pick,
  seconds,
  text,
} from './input-values.js';
import { MARKETING_FIELDS } from './marketing-fields.js';
import { limitTranscript, type TranscriptLimit } from './transcript-limit.js';

/** The CallRail company a webhook names, new resource id first (numeric ids are being retired). */
export function callRailCompanyOf(body: JsonObject): string | null {
  return text(body, 'company_resource_id', 'company_id', 'callrail_company_id');
}

/**
 * `conversational_transcript` as CallRail may send it: text, turns, or those turns as a JSON string.
 * Text that only looks like JSON ("[00:12] Agent: ...") stays text; a string nested deeper than turns
 * are is not parsed, as the body's own brackets are not (see jsonDepthWithin).
 */
function conversationOf(value: unknown): unknown {
  if (typeof value !== 'string' || !value.trimStart().startsWith('[') || !jsonDepthWithin(value, 2)) {
    return value;
  }
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : value;
  } catch {
    return value;
  }
}

/**
 * Turns as "Speaker: words" lines. A numeric channel becomes "Speaker N", a label the analyzer reads
 * ("0: words" would be a clock reading); a turn without a speaker stays unlabelled, read as the previous
 * speaker's, where an "Unknown:" label would have made a speaker of its own, the greeting one, whose
 * every later turn was then the agent's.
 */
function linesOf(turns: readonly unknown[]): string | null {
  const lines = turns.flatMap((turn) => {
    if (typeof turn === 'string') return turn.trim() === '' ? [] : [turn.trim()];
    if (!isJsonObject(turn)) return [];
    const words = text(turn, 'phrase', 'content', 'text');
    if (words === null) return [];
    const speaker = text(turn, 'speaker', 'channel', 'role');
    if (speaker === null) return [words];
    return [`${/^\d+$/.test(speaker) ? `Speaker ${speaker}` : speaker}: ${words}`];
  });
  return lines.length === 0 ? null : lines.join('\n');
}

/**
 * A transcript as text. CallRail sends `transcription` (text; a Call Modified event's later one as
 * `transcription_text`) and `conversational_transcript` (see conversationOf). Turns win when both come,
 * as only they say who spoke. The API's call object has the same two fields, read the same way when the
 * enricher fetches a missing transcript (src/analysis/transcripts/callrail-transcripts.ts).
 */
export function transcriptOf(body: JsonObject): string | null {
  const conversation = conversationOf(body.conversational_transcript);
  const fromTurns = Array.isArray(conversation) ? linesOf(conversation) : null;
  if (fromTurns !== null) return fromTurns;
  const plain = text(body, 'transcription', 'transcription_text');
  if (plain !== null) return plain;
  return typeof conversation === 'string' && conversation.trim() !== '' ? conversation.trim() : null;
}

/**
 * A CallRail webhook body (call events, or a form submission when it carries `form_data`) as a RawCall.
 * Old numeric ids and new resource ids, legacy field names and "" for missing are all accepted; a
 * value of the wrong kind is refused naming its field.
 */
export function rawCallFromCallRail(
  body: JsonObject,
  tenantId: string,
  receivedAt: number,
  transcriptLimit?: TranscriptLimit,
): RawCall {
  const callId = text(body, 'resource_id', 'id', 'call_id');
  if (callId === null) {
    throw new GatewayError(400, 'validation_error', 'resource_id (or id) is required', 'resource_id');
  }
  const formData = body.form_data;
  if (formData !== undefined && formData !== null && !isJsonObject(formData)) {
    throw new GatewayError(400, 'validation_error', 'form_data must be an object', 'form_data');
  }
  const formFields = isJsonObject(formData) ? formFieldsOf(formData) : {};
  const isForm = isJsonObject(formData);
  const fromForm = contactFromForm(formFields);

  return {
    call_id: callId,
    tenant_id: tenantId,
    source_kind: isForm ? 'callrail_form' : 'callrail_call',
    source_name: null,
    callrail_event: text(body, 'event_type', 'event') ?? (isForm ? 'form_submission' : null),
    callrail_company_id: callRailCompanyOf(body),
    customer_phone: phone(
      text(body, 'customer_phone_number', 'caller_id', 'callernum') ?? fromForm.phone,
      'customer_phone_number',
    ),
    customer_name: text(body, 'customer_name', 'callername') ?? fromForm.name,
    customer_email: email(text(body, 'customer_email', 'email') ?? fromForm.email, 'customer_email'),
    customer_city: text(body, 'customer_city', 'callercity') ?? fromForm.city,
    customer_state: text(body, 'customer_state', 'callerstate') ?? fromForm.state,
    duration_seconds: seconds(body, 'duration'),
    answered: flag(body, 'answered'),
    voicemail: flag(body, 'voicemail'),
    recording_url: text(body, 'recording', 'recording_url'),
    transcription: limitTranscript(transcriptOf(body) ?? fromForm.message, transcriptLimit),
    source: text(body, 'source_name', 'formatted_tracking_source', 'source', 'callsource'),
    tracking_number: text(body, 'tracking_phone_number', 'trackingnum'),
    start_time: instant(body, 'start_time', 'submitted_at', 'created_at', 'datetime'),
    form_fields: formFields,
    marketing: pick(body, MARKETING_FIELDS),
    received_at: receivedAt,
  };
}
