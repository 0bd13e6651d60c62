import { z } from 'zod';

/**
 * The payload_json of the Zoho CRM operation in a CrmCommand.
 *
 * - ref `lead`, kind `upsert_lead`, object_type the module (`Leads`): one record upserted with
 *   `duplicate_check_fields` and `trigger`, as `POST /crm/{version}/{module}/upsert` takes them.
 * - ref `call`, kind `log_call`, object_type `Calls`, link_to `lead`: one Calls record; the adapter
 *   links it to the lead (What_Id with `$se_module`, or Who_Id for a contact).
 */
export const zohoUpsertPayloadSchema = z.strictObject({
  record: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  duplicate_check_fields: z.array(z.string()),
  trigger: z.array(z.string()),
});
export type ZohoUpsertPayload = z.infer<typeof zohoUpsertPayloadSchema>;

export const zohoCallPayloadSchema = z.strictObject({
  record: z.strictObject({
    Subject: z.string().min(1),
    Call_Type: z.enum(['Inbound', 'Missed']),
    /** `yyyy-MM-ddTHH:mm:ss+00:00` */
    Call_Start_Time: z.string(),
    /** `mm:ss` */
    Call_Duration: z.string().regex(/^\d{1,4}:[0-5]\d$/),
    Description: z.string(),
  }),
});
export type ZohoCallPayload = z.infer<typeof zohoCallPayloadSchema>;
