import type { TenantConfig } from '../config/tenants/tenant-config.js';
import type { DeliveryResult } from '../crm/crm-adapter.js';
import type { CrmCommand } from '../events/crm-command.js';
import { type Notification, notificationId } from '../events/notification.js';
import { crmRecordLink } from './crm-record-link.js';
import {
  actionSkipReason,
  isNotifierAction,
  type NotifierAction,
  type SkipReason,
} from './workflow-actions.js';

/** A notifier action that goes nowhere, and why: counted and logged, never silent. */
export interface SkippedAction {
  action: NotifierAction;
  /** The metric's channel label: `notification` (any channel) or `sms`. */
  channel: string;
  reason: SkipReason | 'no_lead_summary';
}

export interface NotificationPlan {
  notifications: Notification[];
  skipped: SkippedAction[];
}

/** The contact, lead, person or item the command wrote: what a notification links to. */
function recordIdOf(command: CrmCommand, result: DeliveryResult): string | null {
  const refs = new Set(
    command.operations
      .filter((operation) => operation.kind === 'upsert_contact' || operation.kind === 'upsert_lead')
      .map((operation) => operation.ref),
  );
  const outcome = result.outcomes.find((candidate) => refs.has(candidate.ref) && candidate.id !== '');
  return outcome?.id ?? null;
}

/**
 * The notifications a delivered command asks for: one per channel for `send_notification`, one for
 * `send_sms` (its recipients are the notifier's), each with its deterministic id, once the CRM write
 * succeeded so each can carry the record's link.
 */
export function planNotifications(
  command: CrmCommand,
  result: DeliveryResult,
  tenant: TenantConfig,
  now: Date,
): NotificationPlan {
  const actions = [
    ...new Set(command.operations.flatMap(({ action }) => (isNotifierAction(action) ? [action] : []))),
  ];
  const plan: NotificationPlan = { notifications: [], skipped: [] };
  const lead = command.lead_summary ?? null;
  const recordId = recordIdOf(command, result);
  for (const action of actions) {
    const label = action === 'send_sms' ? 'sms' : 'notification';
    // A command a mapper wrote before lead_summary existed says too little to tell anyone.
    const reason = lead === null ? 'no_lead_summary' : actionSkipReason(tenant, action);
    if (lead === null || reason !== undefined) {
      plan.skipped.push({ action, channel: label, reason: reason ?? 'no_lead_summary' });
      continue;
    }
    const targets =
      action === 'send_sms'
        ? [{ channel: 'sms', index: 0 }]
        : (tenant.notifications?.channels ?? []).map((channel, index) => ({ channel: channel.type, index }));
    for (const { channel, index } of targets) {
      plan.notifications.push({
        notification_id: notificationId(command.idempotency_key, action, channel, index),
        tenant_id: command.tenant_id,
        call_id: command.call_id,
        idempotency_key: command.idempotency_key,
        action,
        channel,
        channel_index: index,
        crm_type: command.crm_type,
        crm_record_id: recordId,
        crm_record_url: recordId === null ? null : crmRecordLink(tenant.crm_config, recordId),
        lead,
        created_at: now.getTime(),
      });
    }
  }
  return plan;
}
