import type { RawCall } from '../../events/raw-call.js';
import { contactFromForm, formFieldsOf } from './form-fields.js';
import { GatewayError } from './gateway-error.js';
import { email, instant, isJsonObject, type JsonObject, phone, pick, text } from './input-values.js';
import { MARKETING_FIELDS } from './marketing-fields.js';
import { limitTranscript, type TranscriptLimit } from './transcript-limit.js';

/** Keys of a flat form post that describe the submission rather than being the form's own fields. */
const ENVELOPE_KEYS = new Set(['submission_id', 'submitted_at', 'source', ...MARKETING_FIELDS]);

/**
 * A web-form post as a RawCall: either `{fields: {...}, submission_id?, source?, utm_*?}` or the fields
 * flat. A submission_id becomes the call id, so posting the same submission twice reaches the CRM once.
 */
export function rawCallFromWebForm(
  body: JsonObject,
  tenantId: string,
  receivedAt: number,
  newId: () => string,
  transcriptLimit?: TranscriptLimit,
): RawCall {
  if (body.fields !== undefined && !isJsonObject(body.fields)) {
    throw new GatewayError(400, 'validation_error', 'fields must be an object', 'fields');
  }
  const own = isJsonObject(body.fields)
    ? body.fields
    : Object.fromEntries(Object.entries(body).filter(([key]) => !ENVELOPE_KEYS.has(key)));
  const formFields = formFieldsOf(own);
  const contact = contactFromForm(formFields);
  if (contact.phone === null && contact.email === null) {
    throw new GatewayError(400, 'validation_error', 'a phone or an email field is required', 'phone');
  }
  const submissionId = text(body, 'submission_id');
  if (submissionId !== null && submissionId.length > 128) {
    throw new GatewayError(
      400,
      'validation_error',
      'submission_id must be at most 128 characters',
      'submission_id',
    );
  }
  return {
    call_id: submissionId ?? newId(),
    tenant_id: tenantId,
    source_kind: 'web_form',
    source_name: null,
    callrail_event: null,
    callrail_company_id: null,
    customer_phone: phone(contact.phone, 'phone'),
    customer_name: contact.name,
    customer_email: email(contact.email, 'email'),
    customer_city: contact.city,
    customer_state: contact.state,
    duration_seconds: null,
    answered: null,
    voicemail: null,
    recording_url: null,
    transcription: limitTranscript(contact.message, transcriptLimit),
    source: text(body, 'source') ?? 'web_form',
    tracking_number: null,
    start_time: instant(body, 'submitted_at'),
    form_fields: formFields,
    marketing: pick(body, MARKETING_FIELDS),
    received_at: receivedAt,
  };
}
