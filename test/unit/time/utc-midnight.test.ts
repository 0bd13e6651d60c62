import { describe, expect, it } from 'vitest';
import { msUntilNextUtcMidnight } from '../../../src/time/utc-midnight.js';

describe('msUntilNextUtcMidnight', () => {
  it('counts to the next UTC midnight across a month and a year, whatever the local zone', () => {
    expect(msUntilNextUtcMidnight(new Date('2026-03-02T22:00:00Z'))).toBe(2 * 60 * 60_000);
    expect(msUntilNextUtcMidnight(new Date('2026-02-28T23:59:59.250Z'))).toBe(750);
    expect(msUntilNextUtcMidnight(new Date('2026-12-31T12:00:00+02:00'))).toBe(14 * 60 * 60_000);
  });

  it('waits a whole day at midnight itself', () => {
    expect(msUntilNextUtcMidnight(new Date('2026-03-03T00:00:00Z'))).toBe(24 * 60 * 60_000);
  });
});
