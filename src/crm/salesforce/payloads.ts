import { z } from 'zod';

/**
 * The payload_json of each Salesforce operation in a CrmCommand: what the mapper writes and the
 * Salesforce adapter reads. Field values are those the REST API takes (dates as YYYY-MM-DD).
 *
 * - ref `lead`, kind `upsert_lead`, object_type `Lead`: found by the command's duplicate rule
 *   (Phone / Email through SOQL), else created; `DUPLICATES_DETECTED` updates the matched record.
 * - ref `task`, kind `create_task`, object_type `Task`, link_to `lead`: the adapter sets `WhoId`.
 * - kind `workflow_action` (ref `workflow_<action>`), link_to `lead`: `action` names it; `assign_*`
 *   actions ask Salesforce to run the org's active lead assignment rule (`Sforce-Auto-Assign`).
 * - ref `call`, kind `log_call`, object_type `Task`, link_to `lead`: a completed Task with
 *   `TaskSubtype = Call` and the call fields; the adapter sets `WhoId`.
 */
const salesforceFieldsSchema = z.record(
  z.string().regex(/^[A-Za-z][A-Za-z0-9_]*(__c)?$/),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);

export const salesforceRecordPayloadSchema = z.strictObject({ fields: salesforceFieldsSchema });
export type SalesforceRecordPayload = z.infer<typeof salesforceRecordPayloadSchema>;

export const salesforceWorkflowPayloadSchema = z.strictObject({});
