/**
 * How long from `now` until the next UTC midnight: where a vendor's daily budget resets and the
 * answer does not say when (or resets at a midnight of a time zone we are not told).
 */
export function msUntilNextUtcMidnight(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime();
}
