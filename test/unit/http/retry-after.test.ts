import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../../src/http/retry-after.js';

const now = new Date('1994-11-06T08:49:00Z');

describe('retryAfterMs', () => {
  it('reads delta-seconds, fractions included as HubSpot sends them, rounding up to whole ms', () => {
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs(' 2 ', now)).toBe(2_000);
    expect(retryAfterMs('0.5', now)).toBe(500);
    expect(retryAfterMs('1.0004', now)).toBe(1_001);
    expect(retryAfterMs('0', now)).toBe(0);
  });

  it('measures an HTTP date in each of the three RFC 9110 forms from the injected now', () => {
    expect(retryAfterMs('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(37_000);
    expect(retryAfterMs('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(37_000);
    expect(retryAfterMs('Sun Nov  6 08:49:37 1994', now)).toBe(37_000);
    expect(retryAfterMs('Sun, 06 Nov 1994 08:49:37 GMT', new Date('1994-11-06T08:49:30Z'))).toBe(7_000);
  });

  it('asks for no wait when the date has passed', () => {
    expect(retryAfterMs('Sun, 06 Nov 1994 08:00:00 GMT', now)).toBe(0);
  });

  it('leaves absent and unreadable headers to the caller’s own back-off', () => {
    for (const header of [
      null,
      undefined,
      '',
      '  ',
      '-5',
      '1e3',
      '5s',
      'soon',
      'foo 1',
      '2026-11-30T06:00:00Z',
    ]) {
      expect(retryAfterMs(header, now)).toBeUndefined();
    }
    expect(retryAfterMs('Sun, 99 Nov 1994 08:49:37 GMT', now)).toBeUndefined();
    expect(retryAfterMs('9'.repeat(400), now)).toBeUndefined();
  });

  it('never throws: any header gives undefined or a non-negative finite delay', () => {
    const header = fc.oneof(
      fc.string(),
      fc.stringMatching(/^\s*\d{1,400}(\.\d{0,20})?\s*$/),
      fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
      fc.constantFrom(null, undefined),
    );
    fc.assert(
      fc.property(header, fc.date(), (value, at) => {
        const delay = retryAfterMs(value, at);
        return delay === undefined || (Number.isFinite(delay) && delay >= 0);
      }),
    );
  });

  it('reads every IMF-fixdate back to the instant it names', () => {
    const second = fc
      .integer({ min: Date.UTC(1970, 0, 1) / 1000, max: Date.UTC(9999, 11, 31) / 1000 })
      .map((s) => new Date(s * 1000));
    fc.assert(
      fc.property(second, (at) => retryAfterMs(at.toUTCString(), new Date(at.getTime() - 1_500)) === 1_500),
    );
  });
});
