import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryTenantSource } from '../../../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../../../src/config/tenants/tenant-config.js';
import { notifierStage } from '../../../src/consumers/notifier.js';
import { notificationId } from '../../../src/events/notification.js';
import { AvroSerde } from '../../../src/kafka/avro-serde.js';
import { NotificationChannels } from '../../../src/notifications/channel-registry.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { EnvSecretResolver } from '../../../src/secrets/env-secret-resolver.js';
import { startTwilioEmulator, type TwilioEmulator } from '../../emulators/twilio/twilio-emulator.js';
import { emulatorOutbound } from '../../support/emulator-outbound.js';
import { MemoryRecordLedger } from '../../support/memory-record-ledger.js';
import { hotLeadNotification } from '../../support/notification-fixtures.js';

const SID = 'AC22222222222222222222222222222222';
const TOKEN = 'stage-token';
const REPS = ['+15551230001', '+15551230002'];
let twilio: TwilioEmulator;

beforeAll(async () => {
  twilio = await startTwilioEmulator({ accounts: [{ sid: SID, token: TOKEN, numbers: ['+15005550006'] }] });
});
afterAll(() => twilio.close());

function stage(ledger: MemoryRecordLedger, metrics: Metrics) {
  const tenant = tenantConfigSchema.parse({
    tenant_id: 'acme',
    crm_config: { type: 'hubspot', api_token: 'x' },
    notifications: {
      sms: { account_sid: SID, auth_token: TOKEN, from: '+15005550006', to: REPS, api_base_url: twilio.url },
    },
  });
  return notifierStage({
    serde: new AvroSerde({ url: 'http://127.0.0.1:1' }),
    tenants: DirectoryTenantSource.fromConfigs([tenant]),
    channels: new NotificationChannels(undefined),
    secrets: new EnvSecretResolver({}),
    outbound: emulatorOutbound,
    metrics,
    logger: createLogger({ level: 'silent' }),
    ledger,
    topics: { input: 'notifications' },
  });
}

describe('the notifier stage', () => {
  it('retries only the recipients not yet sent to: a rep texted before a failure is not texted again', async () => {
    const ledger = new MemoryRecordLedger();
    const metrics = new Metrics({ processMetrics: false });
    const notifier = stage(ledger, metrics);
    const sms = hotLeadNotification({
      action: 'send_sms',
      channel: 'sms',
      notification_id: notificationId('key-1', 'send_sms', 'sms', 0),
    });
    twilio.failNext(1, 429, REPS[1]);
    await expect(notifier.handle(sms)).rejects.toMatchObject({
      type: 'notification_unavailable',
      retryable: true,
    });
    expect(twilio.messages.map((message) => message.to)).toEqual([REPS[0]]);
    await notifier.handle(sms);
    // Handed over once more, as after a crash or a redelivered command: nothing is sent.
    await notifier.handle(sms);
    expect(twilio.messages.map((message) => message.to)).toEqual(REPS);
    const counts = Object.fromEntries(
      (await metrics.notifications.get()).values.map(({ labels, value }) => [labels.status, value]),
    );
    expect(counts).toEqual({ sent: 2, duplicate: 3 });
  });
});
