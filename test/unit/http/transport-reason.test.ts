import { describe, expect, it } from 'vitest';
import { transportReason } from '../../../src/http/transport-reason.js';

describe('transportReason', () => {
  it("gives fetch's real reason, which it keeps in the cause", () => {
    const refused = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    expect(transportReason(refused)).toBe('connect ECONNREFUSED 127.0.0.1:9');
  });

  it("names the code when the cause has no message (both of a host's addresses refused)", () => {
    const both = Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' });
    expect(transportReason(new TypeError('fetch failed', { cause: both }))).toBe('ECONNREFUSED');
  });

  it('falls back to the error itself, or to the thrown value', () => {
    expect(transportReason(new Error('socket hang up'))).toBe('socket hang up');
    expect(transportReason(new TypeError('fetch failed', { cause: 'odd' }))).toBe('fetch failed');
    expect(transportReason('ECONNRESET')).toBe('ECONNRESET');
  });
});
