import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import { frame, unframe } from '../../../src/kafka/wire-format.js';

describe('Confluent wire format', () => {
  it('puts magic byte 0 and the big-endian schema id before the body', () => {
    const framed = frame(258, Buffer.from([7, 8]));
    expect([...framed]).toEqual([0, 0, 0, 1, 2, 7, 8]);
  });

  it('round-trips any schema id and body', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.uint8Array(), (id, body) => {
        const { schemaId, body: out } = unframe(frame(id, Buffer.from(body)));
        expect(schemaId).toBe(id);
        expect([...out]).toEqual([...body]);
      }),
    );
  });

  it('rejects bytes that are not framed, as a serde error', () => {
    for (const bad of [Buffer.from('{"json":true}'), Buffer.from([0, 1]), Buffer.alloc(0)]) {
      expect(() => unframe(bad)).toThrowError(
        expect.objectContaining({ type: 'serde_error' }) as LeadstreamError,
      );
    }
  });
});
