import { describe, expect, it } from 'vitest';
import { isSelected, originalHeaders } from '../../../src/dead-letters/replay-selection.js';

const letter = {
  'leadstream-error-type': Buffer.from('crm_rate_limited'),
  'leadstream-tenant-id': 'tenant_acme',
  'leadstream-stage': 'delivery',
  'leadstream-failed-at': '2026-11-25T10:00:00.000Z',
  'leadstream-source-topic': 'crm-commands',
  traceparent: '00-abc-def-01',
};

describe('choosing dead letters to replay', () => {
  it('takes every letter when nothing is specified', () => {
    expect(isSelected(letter, {})).toBe(true);
  });

  it('requires every given criterion to hold', () => {
    expect(
      isSelected(letter, { errorType: 'crm_rate_limited', tenantId: 'tenant_acme', stage: 'delivery' }),
    ).toBe(true);
    expect(isSelected(letter, { errorType: 'crm_rate_limited', tenantId: 'tenant_other' })).toBe(false);
    expect(isSelected(letter, { stage: 'mapper' })).toBe(false);
  });

  it('keeps only letters that failed since the given time', () => {
    expect(isSelected(letter, { since: new Date('2026-11-25T09:00:00Z') })).toBe(true);
    expect(isSelected(letter, { since: new Date('2026-11-25T11:00:00Z') })).toBe(false);
  });

  it('sends a letter back with its own headers only', () => {
    expect(originalHeaders(letter)).toEqual({ traceparent: '00-abc-def-01' });
  });
});
