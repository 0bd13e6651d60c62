import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressLine } from '../../../src/cli/progress-line.js';
import type { Clock } from '../../../src/time/clock.js';

function steppedClock(start: string) {
  let at = Date.parse(start);
  const clock: Clock = { now: () => new Date(at) };
  return { clock, advance: (ms: number) => (at += ms) };
}

function output() {
  const stream = new PassThrough();
  return { stream, text: () => stream.read()?.toString() ?? '' };
}

describe('progress line', () => {
  it('says done/total, the rate and the time left', () => {
    const { clock, advance } = steppedClock('2026-12-02T10:00:00Z');
    const { stream } = output();
    const progress = new ProgressLine(stream, { label: 'published', total: 5000, clock, tty: false });
    advance(4000);
    progress.update(1200);
    expect(progress.text()).toBe('published 1,200/5,000 (24%) 300/s ETA 0:13');
  });

  it('rewrites one line in place on a terminal and ends it with a newline when finished', () => {
    const { clock, advance } = steppedClock('2026-12-02T10:00:00Z');
    const { stream, text } = output();
    const progress = new ProgressLine(stream, {
      label: 'published',
      total: 10,
      clock,
      tty: true,
      redrawMs: 100,
    });
    advance(1000);
    progress.update(5);
    advance(10);
    progress.update(6);
    advance(1000);
    progress.update(10);
    progress.finish();
    expect(text()).toBe(
      '\r\u001b[2Kpublished 5/10 (50%) 5.0/s ETA 0:01' +
        '\r\u001b[2Kpublished 10/10 (100%) 5.0/s' +
        '\r\u001b[2Kpublished 10/10 (100%) 5.0/s\n',
    );
  });

  it('in a log, writes a plain line now and then rather than at every update', () => {
    const { clock, advance } = steppedClock('2026-12-02T10:00:00Z');
    const { stream, text } = output();
    const progress = new ProgressLine(stream, {
      label: 'published',
      total: 100,
      clock,
      tty: false,
      everyMs: 10_000,
    });
    for (let done = 1; done <= 40; done += 1) {
      advance(500);
      progress.update(done);
    }
    expect(text().split('\n').filter(Boolean)).toEqual([
      'published 1/100 (1%) 2.0/s ETA 0:50',
      'published 21/100 (21%) 2.0/s ETA 0:40',
    ]);
  });

  it('counts a resumed run from where it started, its rate from its own work, and shows why it waits', () => {
    const { clock, advance } = steppedClock('2026-12-02T10:00:00Z');
    const { stream } = output();
    const progress = new ProgressLine(stream, { label: 'published', total: 1000, clock, tty: false });
    progress.resume(600);
    advance(10_000);
    progress.update(700, 'CallRail 429: waiting 60 s');
    expect(progress.text()).toBe('published 700/1,000 (70%) 10/s ETA 0:30 (CallRail 429: waiting 60 s)');
  });
});
