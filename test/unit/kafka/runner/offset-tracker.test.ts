import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OffsetTracker } from '../../../../src/kafka/runner/offset-tracker.js';

describe('OffsetTracker, the offset a partition commits', () => {
  it('is never past an unfinished message, and reaches the end once all are finished, in any order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3_000 }),
        fc.infiniteStream(fc.nat()),
        (start, gaps, picks) => {
          const tracker = new OffsetTracker();
          const offsets: number[] = [];
          // Gaps: offsets of a compacted topic or of transaction markers are skipped.
          let offset = start;
          for (const gap of gaps) {
            tracker.take(offset);
            offsets.push(offset);
            offset += gap;
          }
          const unfinished = new Set(offsets);
          const order = [...offsets];
          const iterator = picks[Symbol.iterator]();
          while (order.length > 0) {
            const [done] = order.splice((iterator.next().value as number) % order.length, 1);
            if (done === undefined) break;
            tracker.finish(done);
            unfinished.delete(done);
            const lowest = Math.min(...unfinished);
            expect(tracker.watermark()).toBe(unfinished.size > 0 ? lowest : (offsets.at(-1) as number) + 1);
          }
          expect(tracker.pending).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('says where it is before anything was taken and refuses an offset taken twice', () => {
    const tracker = new OffsetTracker();
    expect(tracker.watermark()).toBeUndefined();
    tracker.take(7);
    expect(tracker.watermark()).toBe(7);
    expect(() => tracker.take(7)).toThrow(RangeError);
  });
});
