import { createHash } from 'node:crypto';
import type { TenantConfigSource } from '../config/tenants/tenant-config-source.js';
import type { RecordLedger } from '../crm/ledger/record-ledger.js';
import type { Notification } from '../events/notification.js';
import type { AvroSerde } from '../kafka/avro-serde.js';
import type { StageDefinition } from '../kafka/stage-runner.js';
import type { NotificationChannels } from '../notifications/channel-registry.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { OutboundGuard } from '../outbound/outbound-guard.js';
import type { SecretResolver } from '../secrets/secret-resolver.js';
import { requireTenant } from './tenant-lookup.js';

export interface NotifierDeps {
  serde: AvroSerde;
  tenants: TenantConfigSource;
  channels: NotificationChannels;
  secrets: SecretResolver;
  outbound: OutboundGuard;
  metrics: Metrics;
  logger: Logger;
  /**
   * What was sent, by notification id and recipient (notifications.ledger): a notification handed over
   * again, by a redelivered command or after a crash, sends nothing twice.
   */
  ledger: RecordLedger;
  topics: { input: string };
}

/**
 * notifications → Slack, e-mail, webhooks, Twilio. A failing provider retries here, then dead-letters
 * here, and never touches the CRM delivery that already succeeded.
 */
export function notifierStage(deps: NotifierDeps): StageDefinition<Notification> {
  const count = (notification: Notification, status: string) =>
    deps.metrics.notifications.inc({ channel: notification.channel, status });
  return {
    name: 'notifier',
    workflowStep: 'notify',
    inputTopic: deps.topics.input,
    logsOwnSuccess: true,
    decode: async (value) => (await deps.serde.decode('Notification', value)) as Notification,
    describe: (notification) => ({ tenant_id: notification.tenant_id, call_id: notification.call_id }),
    orderingKey: (notification) => notification.notification_id,
    beforeNewPartition: () => deps.ledger.catchUp(),
    async handle(notification) {
      const tenant = await requireTenant(deps.tenants, notification.tenant_id);
      const logger = deps.logger.child({
        tenant_id: notification.tenant_id,
        call_id: notification.call_id,
        workflow_step: 'notify',
        action: notification.action,
        channel: notification.channel,
        notification_id: notification.notification_id,
      });
      const binding = deps.channels.bind(notification, tenant, {
        secrets: deps.secrets,
        outbound: deps.outbound,
      });
      if (binding === undefined) {
        count(notification, 'skipped_channel_removed');
        logger.info(
          { status: 'skipped', reason: 'channel_removed' },
          'notification skipped: the tenant no longer has that channel',
        );
        return [];
      }
      const sent: string[] = [];
      try {
        for (const recipient of binding.recipients()) {
          const entry = {
            tenantId: notification.tenant_id,
            idempotencyKey: notification.notification_id,
            // A recipient may be the caller: the ledger keeps a digest of the number, not the number.
            ref: createHash('sha256').update(recipient).digest('hex'),
          };
          if (deps.ledger.get(entry) !== undefined) {
            count(notification, 'duplicate');
            continue;
          }
          deps.ledger.remember(entry, await binding.send(recipient));
          sent.push(recipient);
          count(notification, 'sent');
        }
      } finally {
        // What was sent, even by an attempt that failed part-way, is durable before the offset may commit.
        await deps.ledger.settle(notification.tenant_id, notification.notification_id);
      }
      logger.info({ status: 'success', sent: sent.length }, 'notification sent');
      return [];
    },
    onAttemptFailed(notification, _error, willRetry) {
      if (notification) count(notification, willRetry ? 'retry' : 'failed');
    },
    onDeadLettered(notification) {
      if (notification) count(notification, 'dead_lettered');
    },
  };
}
