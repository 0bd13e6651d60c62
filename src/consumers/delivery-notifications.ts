import type { TenantConfig } from '../config/tenants/tenant-config.js';
import type { DeliveryResult } from '../crm/crm-adapter.js';
import type { CrmCommand } from '../events/crm-command.js';
import type { AvroSerde } from '../kafka/avro-serde.js';
import type { OutgoingMessage } from '../kafka/event-producer.js';
import { planNotifications } from '../notifications/notification-plan.js';
import { skipAdvice } from '../notifications/workflow-actions.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

interface NotificationDeps {
  serde: AvroSerde;
  metrics: Metrics;
  logger: Logger;
  topics: { notifications?: string };
}

/**
 * The Notification events a delivered command hands the notifier: produced with the command's outcome,
 * so they exist once the CRM write did, and sent (with their own retries and dead letters) outside the
 * CRM delivery. An action with nowhere to go is counted and logged as skipped, with what to configure.
 */
export function notificationsFor(
  command: CrmCommand,
  result: DeliveryResult,
  tenant: TenantConfig,
  deps: NotificationDeps,
): OutgoingMessage[] {
  const topic = deps.topics.notifications;
  if (topic === undefined) return [];
  const plan = planNotifications(command, result, tenant, new Date());
  for (const skipped of plan.skipped) {
    deps.metrics.notifications.inc({ channel: skipped.channel, status: `skipped_${skipped.reason}` });
    deps.logger.info(
      {
        workflow_step: 'notify',
        action: skipped.action,
        status: 'skipped',
        reason: skipped.reason,
        ...(skipped.reason === 'no_lead_summary' ? {} : { advice: skipAdvice(skipped.reason) }),
      },
      'workflow action skipped',
    );
  }
  return plan.notifications.map((notification) => ({
    topic,
    key: notification.tenant_id,
    value: deps.serde.encode(topic, 'Notification', notification),
  }));
}
