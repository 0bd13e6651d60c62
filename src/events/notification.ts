import { createHash } from 'node:crypto';
import type { LeadSummary } from '../notifications/lead-summary.js';

/** TypeScript view of schemas/avro/Notification.avsc: one workflow action for one channel. */
export interface Notification {
  notification_id: string;
  tenant_id: string;
  call_id: string;
  /** The command's: which delivery it follows. */
  idempotency_key: string;
  /** send_notification or send_sms. */
  action: string;
  /** slack, email, webhook or sms. */
  channel: string;
  /** Which of the tenant's notifications.channels (0 for sms). */
  channel_index: number;
  crm_type: string;
  crm_record_id: string | null;
  crm_record_url: string | null;
  lead: LeadSummary;
  /** epoch milliseconds UTC */
  created_at: number;
}

/**
 * The same command, action and channel always give the same id, whichever delivery of the command
 * produced it: what the notifier remembers as sent, so a redelivered command notifies nobody twice.
 */
export function notificationId(
  idempotencyKey: string,
  action: string,
  channel: string,
  index: number,
): string {
  return createHash('sha256')
    .update(`${idempotencyKey}\u0000${action}\u0000${channel}\u0000${index}`)
    .digest('hex');
}
