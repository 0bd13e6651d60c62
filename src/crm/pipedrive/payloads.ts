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
