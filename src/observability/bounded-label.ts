/**
 * A label value from outside (a producer's name) kept to a bounded set: the first `limit` distinct
 * values are themselves, every later one is `overflow`, so a misbehaving sender cannot grow the number
 * of series without end.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly limit: number,
    private readonly overflow = 'other',
  ) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.limit) return this.overflow;
    this.seen.add(value);
    return value;
  }
}
