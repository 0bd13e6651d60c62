import { z } from 'zod';
import { strictObject } from '../config/strict-object.js';
import { type ConfigIssue, issuesFromZod } from '../config/validation-issues.js';
import { LeadstreamError } from '../errors/leadstream-error.js';
import { type RawCall, SOURCE_KINDS, SOURCE_NAME_PATTERN } from './raw-call.js';

const nullableText = z.string().nullable().default(null);
/** Epoch milliseconds as the event carries them, or an ISO date-time a person wrote by hand. */
const instant = z.union(
  [z.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform((iso) => Date.parse(iso))],
  { error: 'expected epoch milliseconds or an ISO date-time' },
);

/**
 * A RawCall written as JSON (a copied event, a hand-written test call), checked field by field like the
 * Avro schema (schemas/avro/RawCall.avsc): the same required fields and defaults, and an unknown key
 * named with the field it was probably meant to be (`transcript` → `transcription`).
 */
const rawCallJsonSchema = strictObject({
  call_id: z.string().min(1),
  tenant_id: z.string().min(1),
  source_kind: z.enum(SOURCE_KINDS).default('callrail_call'),
  source_name: z
    .string()
    .regex(SOURCE_NAME_PATTERN, {
      error: 'expected 1-64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
    })
    .nullable()
    .default(null),
  callrail_event: nullableText,
  callrail_company_id: nullableText,
  customer_phone: nullableText,
  customer_name: nullableText,
  customer_email: nullableText,
  customer_city: nullableText,
  customer_state: nullableText,
  duration_seconds: z.number().int().nonnegative().nullable().default(null),
  answered: z.boolean().nullable().default(null),
  voicemail: z.boolean().nullable().default(null),
  recording_url: nullableText,
  transcription: nullableText,
  source: nullableText,
  tracking_number: nullableText,
  start_time: instant.nullable().default(null),
  form_fields: z.record(z.string(), z.string()).default({}),
  marketing: z.record(z.string(), z.string()).default({}),
  received_at: instant,
});

/** A JSON value read as a RawCall: the call, or every field that keeps it from being one. */
export type RawCallReading =
  | { call: RawCall; issues?: undefined }
  | { call?: undefined; issues: ConfigIssue[] };

export function readRawCallJson(value: unknown): RawCallReading {
  const parsed = rawCallJsonSchema.safeParse(value);
  return parsed.success ? { call: parsed.data } : { issues: issuesFromZod(parsed.error) };
}

/** The RawCall a JSON value describes; a LeadstreamError('validation_error') names every bad field. */
export function rawCallFromJson(value: unknown): RawCall {
  const read = readRawCallJson(value);
  if (read.call !== undefined) return read.call;
  const problems = read.issues.map((issue) => `${issue.path}: ${issue.message}`);
  throw new LeadstreamError('validation_error', `not a RawCall: ${problems.join('; ')}`);
}
