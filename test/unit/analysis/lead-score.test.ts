import { describe, expect, it } from 'vitest';
import { scoreLead } from '../../../src/analysis/lead-score.js';
import { callFrom } from './labelled-cases.js';

const hotLead = {
  intent: 'appointment_booking',
  project_type: 'kitchen',
  timeline: 'immediate',
  budget_indicator: 'high',
  sentiment: 'positive',
  urgency: 'high',
} as const;

describe('the lead score', () => {
  it('adds up the reasons it gives', () => {
    const call = callFrom({
      id: 'hot',
      duration_seconds: 300,
      customer_name: 'Ana Ruiz',
      customer_phone: '+15125550143',
    });
    const { lead_score, score_reasons } = scoreLead(call, hotLead);
    const sum = score_reasons.reduce((total, reason) => total + Number(/^[+-]\d+/.exec(reason)?.[0] ?? 0), 0);
    expect(lead_score).toBe(Math.min(100, sum));
    expect(lead_score).toBeGreaterThanOrEqual(90);
  });

  it('ranks a vague voicemail below an answered quote request', () => {
    const voicemail = callFrom({ id: 'vm', answered: false, voicemail: true, duration_seconds: 20 });
    const answered = callFrom({ id: 'answered' });
    const vague = {
      ...hotLead,
      intent: 'unknown',
      project_type: 'unknown',
      timeline: 'unknown',
      budget_indicator: 'unknown',
      sentiment: 'neutral',
      urgency: 'low',
    } as const;
    expect(scoreLead(voicemail, vague).lead_score).toBeLessThan(
      scoreLead(answered, { ...hotLead, intent: 'quote_request' }).lead_score,
    );
  });

  it('halves an existing customer’s call and says so', () => {
    const call = callFrom({ id: 'existing' });
    const asNew = scoreLead(call, { ...hotLead, intent: 'quote_request' });
    const existing = scoreLead(call, { ...hotLead, intent: 'existing_customer' });
    expect(existing.lead_score).toBeLessThan(asNew.lead_score / 2);
    expect(existing.score_reasons.at(-1)).toMatch(/^halved/);
  });

  it('scores wrong numbers and spam zero whatever else they say', () => {
    const call = callFrom({ id: 'wrong' });
    expect(scoreLead(call, { ...hotLead, intent: 'wrong_number' }).lead_score).toBe(0);
    expect(scoreLead(call, { ...hotLead, intent: 'spam' }).lead_score).toBe(0);
  });
});
