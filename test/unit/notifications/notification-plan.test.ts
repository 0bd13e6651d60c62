import { describe, expect, it } from 'vitest';
import { parseTenantFile } from '../../../src/config/tenants/directory-tenant-source.js';
import type { TenantConfig } from '../../../src/config/tenants/tenant-config.js';
import { notificationsFor } from '../../../src/consumers/delivery-notifications.js';
import { AvroSerde } from '../../../src/kafka/avro-serde.js';
import { buildCrmCommand } from '../../../src/mapping/build-command.js';
import { planNotifications } from '../../../src/notifications/notification-plan.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { fixedClock } from '../../../src/time/clock.js';
import { guideCrmConfig, guideEnrichedCall } from '../../support/guide-fixtures.js';
import { captureLogLines } from '../../support/log-capture.js';

const NOW = new Date('2026-11-25T17:20:00Z');

function tenantWith(notifications?: unknown): TenantConfig {
  const { config, issues } = parseTenantFile(
    't.json',
    JSON.stringify({
      tenant_id: 'acme',
      crm_config: guideCrmConfig('hubspot'),
      ...(notifications ? { notifications } : {}),
    }),
  );
  if (!config) throw new Error(JSON.stringify(issues));
  return config;
}

const delivered = {
  outcomes: [{ ref: 'contact', object_type: 'contacts', id: '501', action: 'created' as const }],
};

describe('the notifications a delivered command asks for', () => {
  it('one per channel and one for SMS, linking the HubSpot contact, with ids a redelivery gives again', () => {
    const tenant = tenantWith({
      channels: [
        { type: 'slack', webhook_url: 'secret:projects/p/secrets/s/versions/1' },
        { type: 'email', to: ['a@example.com'] },
      ],
      sms: { account_sid: 'AC1', auth_token: 't', from: '+15005550006', to: ['+15551230001'] },
    });
    const command = buildCrmCommand(guideEnrichedCall(), tenant, fixedClock(NOW));
    const first = planNotifications(command, delivered, tenant, NOW);
    expect(first.skipped).toEqual([]);
    expect(
      first.notifications.map(({ action, channel, channel_index }) => [action, channel, channel_index]),
    ).toEqual([
      ['send_notification', 'slack', 0],
      ['send_notification', 'email', 1],
      ['send_sms', 'sms', 0],
    ]);
    expect(first.notifications[0]?.crm_record_url).toBe(
      'https://app.hubspot.com/contacts/12345678/record/0-1/501',
    );
    expect(first.notifications[0]?.lead).toMatchObject({ name: 'Jane Doe', lead_score: 92 });
    const again = planNotifications(command, delivered, tenant, new Date(NOW.getTime() + 60_000));
    expect(again.notifications.map((n) => n.notification_id)).toEqual(
      first.notifications.map((n) => n.notification_id),
    );
    expect(new Set(first.notifications.map((n) => n.notification_id)).size).toBe(3);
  });

  it("records the guide's actions with nowhere to go as skipped, in the metric and an info line with what to add", () => {
    const tenant = tenantWith();
    const command = buildCrmCommand(guideEnrichedCall(), tenant, fixedClock(NOW));
    const metrics = new Metrics({ processMetrics: false });
    const log = captureLogLines();
    const outputs = notificationsFor(command, delivered, tenant, {
      serde: new AvroSerde({ url: 'http://127.0.0.1:1' }),
      metrics,
      logger: createLogger({ level: 'info', destination: log.stream }),
      topics: { notifications: 'notifications' },
    });
    expect(outputs).toEqual([]);
    return metrics.notifications.get().then(({ values }) => {
      expect(values.map(({ labels, value }) => [labels.channel, labels.status, value])).toEqual([
        ['notification', 'skipped_no_channel', 1],
        ['sms', 'skipped_no_recipient', 1],
      ]);
      expect(
        log.lines().map(({ level, action, status, reason }) => ({ level, action, status, reason })),
      ).toEqual([
        { level: 30, action: 'send_notification', status: 'skipped', reason: 'no_channel' },
        { level: 30, action: 'send_sms', status: 'skipped', reason: 'no_recipient' },
      ]);
      expect(log.lines()[1]?.advice).toContain('add notifications.sms');
    });
  });
});
