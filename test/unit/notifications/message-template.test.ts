import { describe, expect, it } from 'vitest';
import {
  composeMessage,
  DEFAULT_NOTIFICATION,
  DEFAULT_SMS,
  factsOf,
} from '../../../src/notifications/message-template.js';
import { hotLeadNotification } from '../../support/notification-fixtures.js';

describe('the notification message', () => {
  it('keeps the score of a lead with no reasons, no number and no CRM link, and leaves out only what is empty', () => {
    const base = hotLeadNotification();
    const notification = hotLeadNotification({
      crm_record_url: null,
      lead: { ...base.lead, phone: null, email: null, lead_score: 40, score_reasons: [] },
    });
    expect(composeMessage(undefined, DEFAULT_NOTIFICATION, factsOf(notification))).toBe(
      ['New lead: Jane Doe', 'Project: kitchen, timeline: immediate, budget: 50k 100k', 'Lead score 40'].join(
        '\n',
      ),
    );
    expect(composeMessage(undefined, DEFAULT_SMS, factsOf(notification))).toBe(
      'New lead Jane Doe: kitchen, immediate, score 40.',
    );
  });

  it("fills the tenant's template once: a value that looks like a placeholder stays text", () => {
    const base = hotLeadNotification();
    const notification = hotLeadNotification({ lead: { ...base.lead, name: '{{crm_link}} {{score}}' } });
    expect(
      composeMessage('Call {{name}} ({{ score }}) {{unknown}}', DEFAULT_SMS, factsOf(notification)),
    ).toBe('Call {{crm_link}} {{score}} (92) ');
  });
});
