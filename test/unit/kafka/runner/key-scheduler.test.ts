import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyScheduler, type Schedulable } from '../../../../src/kafka/runner/key-scheduler.js';

interface Item extends Schedulable {
  seq: number;
}

const itemArbitrary = fc.record({
  partition: fc.integer({ min: 0, max: 2 }),
  tenant: fc.constantFrom('t1', 't2', 't3'),
  contact: fc.constantFrom('c1', 'c2', 'c3', 'c4'),
});

/** What the runner may do next: add an item, start one, finish or park a running one, unpark a parked one. */
const stepArbitrary = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), item: itemArbitrary }),
  fc.record({ kind: fc.constant('start' as const) }),
  fc.record({ kind: fc.constantFrom('finish' as const, 'park' as const, 'unpark' as const), pick: fc.nat() }),
);

describe('KeyScheduler, what a stage runner starts next', () => {
  it('never runs two items of one key at once, runs each key in order, and holds every tenant to its limit', () => {
    fc.assert(
      fc.property(
        fc.array(stepArbitrary, { maxLength: 400 }),
        fc.integer({ min: 1, max: 3 }),
        (steps, limit) => {
          const scheduler = new KeyScheduler<Item>({ maxInFlightPerTenant: limit });
          const running: Item[] = [];
          const parked: Item[] = [];
          const started = new Map<string, number[]>();
          const added = new Map<string, number[]>();
          let seq = 0;
          const keyOf = (item: Item) => `${item.partition}/${item.key}`;
          for (const step of steps) {
            if (step.kind === 'add') {
              const item = {
                partition: step.item.partition,
                tenant: step.item.tenant,
                key: `${step.item.tenant}:${step.item.contact}`,
                seq: seq++,
              };
              added.set(keyOf(item), [...(added.get(keyOf(item)) ?? []), item.seq]);
              scheduler.add(item);
            } else if (step.kind === 'start') {
              const item = scheduler.next();
              if (!item) continue;
              expect(running.concat(parked).some((other) => keyOf(other) === keyOf(item))).toBe(false);
              running.push(item);
              expect(running.filter((other) => other.tenant === item.tenant).length).toBeLessThanOrEqual(
                limit,
              );
              const seen = started.get(keyOf(item)) ?? [];
              // A parked item starts again: the same one, not the next of its key.
              if (seen.at(-1) !== item.seq) started.set(keyOf(item), [...seen, item.seq]);
            } else {
              const from = step.kind === 'unpark' ? parked : running;
              if (from.length === 0) continue;
              const [item] = from.splice(step.pick % from.length, 1);
              if (!item) continue;
              if (step.kind === 'finish') scheduler.finish(item);
              if (step.kind === 'park') {
                scheduler.park(item);
                parked.push(item);
              }
              if (step.kind === 'unpark') scheduler.unpark(item);
            }
          }
          for (const [key, order] of started) expect(order).toEqual(added.get(key)?.slice(0, order.length));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('starts every item eventually when each one started is finished', () => {
    fc.assert(
      fc.property(fc.array(itemArbitrary, { maxLength: 200 }), (items) => {
        const scheduler = new KeyScheduler<Item>({ maxInFlightPerTenant: 2 });
        for (const [seq, item] of items.entries()) {
          scheduler.add({ partition: item.partition, tenant: item.tenant, key: item.contact, seq });
        }
        let done = 0;
        for (let item = scheduler.next(); item; item = scheduler.next()) {
          scheduler.finish(item);
          done++;
        }
        expect(done).toBe(items.length);
        expect(scheduler.size).toBe(0);
      }),
    );
  });

  it('forgets a dropped partition and hands back its items', () => {
    const scheduler = new KeyScheduler<Item>({ maxInFlightPerTenant: 4 });
    scheduler.add({ partition: 0, tenant: 't1', key: 'a', seq: 0 });
    scheduler.add({ partition: 1, tenant: 't1', key: 'b', seq: 1 });
    expect(scheduler.dropPartition(0).map((item) => item.seq)).toEqual([0]);
    expect(scheduler.next()?.seq).toBe(1);
    expect(scheduler.next()).toBeUndefined();
  });
});
