import { createHash } from 'node:crypto';
import type { LeadSummary } from '../notifications/lead-summary.js';

/** TypeScript view of schemas/avro/CrmCommand.avsc. */
const CRM_TYPES = ['hubspot', 'salesforce', 'pipedrive', 'monday', 'zoho', 'custom'] as const;
export type CrmType = (typeof CRM_TYPES)[number];

/**
 * What a reader decodes a CRM type added after its schema into (CrmType's Avro default): a command a
 * newer mapper built for a CRM this delivery does not know yet. Never built, only received.
 */
export type UnknownCrmType = 'unknown';

const CRM_OPERATION_KINDS = [
  'upsert_contact',
  'upsert_lead',
  'create_deal',
  'create_task',
  'workflow_action',
  'custom_request',
  'log_call',
] as const;
type CrmOperationKind = (typeof CRM_OPERATION_KINDS)[number];

export interface CrmOperation {
  ref: string;
  kind: CrmOperationKind;
  object_type: string;
  /** JSON object text keyed by the CRM's field names. */
  payload_json: string;
  link_to: string | null;
  action: string | null;
}

export interface DuplicateRule {
  match_fields: string[];
  match_strategy: string;
  action: string;
}

export interface CrmCommand {
  idempotency_key: string;
  tenant_id: string;
  call_id: string;
  crm_type: CrmType | UnknownCrmType;
  operations: CrmOperation[];
  duplicate_detection: DuplicateRule | null;
  triggered_workflows: string[];
  /** epoch milliseconds UTC */
  created_at: number;
  /** Which of the tenant's contacts the lead is about (contactKeyOf); null in commands written before it. */
  contact_key: string | null;
  /** For the notifier; null or absent when no send_notification or send_sms fired (Avro writes null). */
  lead_summary?: LeadSummary | null;
}

/** The same lead always gets the same key, whichever mapper instance or replay builds its command. */
export function idempotencyKey(tenantId: string, callId: string): string {
  return createHash('sha256').update(`${tenantId}\u0000${callId}`).digest('hex');
}
