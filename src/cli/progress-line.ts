import { type Clock, systemClock } from '../time/clock.js';

export interface ProgressLineOptions {
  /** What is counted, as the line names it: "published", "calls published". */
  label: string;
  /** The count to reach; undefined while it is not known (the line then gives no percentage or ETA). */
  total?: number;
  clock?: Clock;
  /** A terminal: one line rewritten at most every `redrawMs`. Else a plain line every `everyMs`. */
  tty?: boolean;
  redrawMs?: number;
  everyMs?: number;
}

const DEFAULT_REDRAW_MS = 200;
const DEFAULT_EVERY_MS = 10_000;

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mmss = `${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

const count = (value: number) => value.toLocaleString('en-US');

/**
 * Progress of a long command on stderr: "published 1,200/5,000 (24%) 310/s ETA 0:13". On a terminal
 * the line is redrawn in place; in a log or a pipe (CI, kubectl logs) it is a plain line now and then,
 * since carriage returns make a log unreadable. A note ("CallRail 429: waiting 60 s") rides along until
 * the next update clears it.
 */
export class ProgressLine {
  private readonly clock: Clock;
  private readonly tty: boolean;
  private readonly redrawMs: number;
  private readonly everyMs: number;
  private readonly startedAt: number;
  private total: number | undefined;
  private done = 0;
  /** Counted before this run (a resumed publish): shown in done/total, left out of the rate. */
  private resumedFrom = 0;
  private note: string | undefined;
  private lastDrawn = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly options: ProgressLineOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.tty = options.tty ?? (stream as { isTTY?: boolean }).isTTY === true;
    this.redrawMs = options.redrawMs ?? DEFAULT_REDRAW_MS;
    this.everyMs = options.everyMs ?? DEFAULT_EVERY_MS;
    this.startedAt = this.clock.now().getTime();
    this.total = options.total;
  }

  setTotal(total: number): void {
    this.total = total;
  }

  /** Where a resumed run starts: that many were done by earlier runs. */
  resume(done: number): void {
    this.resumedFrom = done;
    this.done = done;
  }

  update(done: number, note?: string): void {
    this.done = done;
    this.note = note;
    const now = this.clock.now().getTime();
    if (now - this.lastDrawn < (this.tty ? this.redrawMs : this.everyMs) && note === undefined) return;
    this.draw(now);
  }

  /** The line as it stands now. */
  text(now = this.clock.now().getTime()): string {
    const elapsed = Math.max(now - this.startedAt, 1);
    const rate = ((this.done - this.resumedFrom) * 1000) / elapsed;
    const parts = [`${this.options.label} ${count(this.done)}`];
    if (this.total !== undefined) {
      const percent = this.total === 0 ? 100 : Math.floor((this.done * 100) / this.total);
      parts[0] += `/${count(this.total)} (${percent}%)`;
    }
    parts.push(`${rate < 10 ? rate.toFixed(1) : Math.round(rate)}/s`);
    if (this.total !== undefined && rate > 0 && this.done < this.total) {
      parts.push(`ETA ${duration(((this.total - this.done) / rate) * 1000)}`);
    }
    if (this.note !== undefined) parts.push(`(${this.note})`);
    return parts.join(' ');
  }

  /** Draws the final count and ends the in-place line, so what follows starts on a line of its own. */
  finish(): void {
    this.note = undefined;
    this.draw(this.clock.now().getTime());
    if (this.tty) this.stream.write('\n');
  }

  private draw(now: number): void {
    this.lastDrawn = now;
    if (this.tty) this.stream.write(`\r\u001b[2K${this.text(now)}`);
    else this.stream.write(`${this.text(now)}\n`);
  }
}
