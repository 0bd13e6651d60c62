import type { NotificationsConfig } from '../../src/config/tenants/notifications-config.js';
import { type Notification, notificationId } from '../../src/events/notification.js';

/** A hot lead's notification as delivery would write it after HubSpot took the contact. */
export function hotLeadNotification(overrides: Partial<Notification> = {}): Notification {
  return {
    notification_id: notificationId('key-1', 'send_notification', 'slack', 0),
    tenant_id: 'acme',
    call_id: 'CAL123',
    idempotency_key: 'key-1',
    action: 'send_notification',
    channel: 'slack',
    channel_index: 0,
    crm_type: 'hubspot',
    crm_record_id: '501',
    crm_record_url: 'https://app.hubspot.com/contacts/12345678/record/0-1/501',
    lead: {
      name: 'Jane Doe',
      phone: '+15551234567',
      email: 'jane@example.com',
      project_type: 'kitchen',
      timeline: 'immediate',
      budget: '50k_100k',
      lead_score: 92,
      score_reasons: ['asked for a quote', 'wants to start this month', 'budget stated', 'homeowner'],
      recording_url: null,
    },
    created_at: Date.parse('2026-11-25T17:20:00Z'),
    ...overrides,
  };
}

export const noTemplates: NotificationsConfig = { channels: [] };
