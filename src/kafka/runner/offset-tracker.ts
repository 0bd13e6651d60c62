/**
 * The offsets of one partition taken for work and not yet committed, in the order they were taken.
 * Work finishes in any order; the offset to commit is the lowest one not finished (the watermark), so a
 * crash never skips an unfinished message — as Confluent's Parallel Consumer commits. Offsets are numbers:
 * a partition would need 2^53 messages before that loses precision.
 */
export class OffsetTracker {
  /** Offsets taken, lowest first; `head` skips those already finished and passed by the watermark. */
  private readonly taken: number[] = [];
  private head = 0;
  private readonly unfinished = new Set<number>();
  private next: number | undefined;

  /** Offsets taken and not yet finished. */
  get pending(): number {
    return this.unfinished.size;
  }

  /** The offset after the last one taken: a refetched message below it was already taken. */
  get nextOffset(): number | undefined {
    return this.next;
  }

  /** Records an offset taken for work; offsets must come in increasing order. */
  take(offset: number): void {
    if (this.next !== undefined && offset < this.next) {
      throw new RangeError(`offset ${offset} taken after ${this.next - 1}`);
    }
    this.taken.push(offset);
    this.unfinished.add(offset);
    this.next = offset + 1;
  }

  finish(offset: number): void {
    this.unfinished.delete(offset);
    while (this.head < this.taken.length && !this.unfinished.has(this.taken[this.head] as number))
      this.head++;
    // Compacts now and then rather than shifting on every finish: shift() is linear in the backlog.
    if (this.head > 1_024 && this.head * 2 > this.taken.length) {
      this.taken.splice(0, this.head);
      this.head = 0;
    }
  }

  /**
   * The offset to commit: the lowest unfinished one, or the one after the last taken when all are
   * finished; undefined before anything was taken.
   */
  watermark(): number | undefined {
    if (this.head < this.taken.length) return this.taken[this.head];
    return this.next;
  }
}
