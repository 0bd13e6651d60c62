import { z } from 'zod';

/**
 * The payload_json of the Zoho CRM operation in a CrmCommand.
 *
 * - ref `lead`, kind `upsert_lead`, object_type the module (`Leads`): one record upserted with
 *   `duplicate_check_fields` and `trigger`, as `POST /crm/{version}/{module}/upsert` takes them.
 */
export const zohoUpsertPayloadSchema = z.strictObject({
  record: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  duplicate_check_fields: z.array(z.string()),
  trigger: z.array(z.string()),
});
export type ZohoUpsertPayload = z.infer<typeof zohoUpsertPayloadSchema>;
