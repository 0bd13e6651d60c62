import { z } from 'zod';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * The payload_json of each Pipedrive operation in a CrmCommand (API v2).
 *
 * - ref `person`, kind `upsert_contact`, object_type `persons`: `fields` keyed by the guide's
 *   field_mappings names (name, phone, email, address_locality, ...); the adapter shapes them for v2
 *   (`phones: [{value, primary}]`, ...). `custom_fields` keyed by the field's name in Pipedrive; the
 *   adapter resolves names to the account's 40-character keys and enumeration labels to option ids.
 * - ref `deal`, kind `create_deal`, object_type `deals`, link_to `person`: the adapter sets person_id.
 * - ref `call`, kind `log_call`, link_to `person`: object_type `callLogs`, a v1 call log (which needs
 *   the number called), or `activities`, a done activity of type call where no number is known; the
 *   adapter sets person_id and the command's deal_id.
 */
export const pipedrivePersonPayloadSchema = z.strictObject({
  fields: z.record(z.string(), scalar),
  custom_fields: z.record(z.string(), scalar),
  owner_id: z.number().int().nullable(),
});
export type PipedrivePersonPayload = z.infer<typeof pipedrivePersonPayloadSchema>;

export const pipedriveDealPayloadSchema = z.strictObject({
  title: z.string().min(1),
  value: z.number().nullable(),
  currency: z.string(),
  pipeline_id: z.number().int().nullable(),
  stage_id: z.number().int().nullable(),
  owner_id: z.number().int().nullable(),
  /** YYYY-MM-DD */
  expected_close_date: z.string().nullable(),
  custom_fields: z.record(z.string(), scalar),
});
export type PipedriveDealPayload = z.infer<typeof pipedriveDealPayloadSchema>;

/**
 * The follow-up task activity a `create_task` workflow action becomes, as the mapper decides it: what
 * it says, the day it is due (the day of the call, on the mapper's clock, as HubSpot's and
 * Salesforce's tasks) and which triggers asked for it.
 */
export const pipedriveTaskPayloadSchema = z.strictObject({
  subject: z.string().min(1),
  due_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  note: z.string().nullable(),
});

export type PipedriveTaskPayload = z.infer<typeof pipedriveTaskPayloadSchema>;

/** Pipedrive's call log outcomes (v1 `POST /callLogs`). */
const CALL_OUTCOMES = [
  'connected',
  'no_answer',
  'left_message',
  'left_voicemail',
  'wrong_number',
  'busy',
] as const;
/** `YYYY-MM-DD HH:MM:SS`, UTC: the only time format call logs take. */
const callLogTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

export const pipedriveCallPayloadSchema = z.strictObject({
  subject: z.string().min(1),
  /** HTML. */
  note: z.string(),
  outcome: z.enum(CALL_OUTCOMES),
  /** Seconds. */
  duration: z.number().int().min(0),
  start_time: callLogTime,
  end_time: callLogTime,
  to_phone_number: z.string().min(1).nullable(),
  from_phone_number: z.string().min(1).nullable(),
});
export type PipedriveCallPayload = z.infer<typeof pipedriveCallPayloadSchema>;
