/** delta-seconds; HubSpot sends fractions ("0.5"), which RFC 9110 does not allow but costs nothing to read. */
const DELTA_SECONDS = /^\d+(\.\d+)?$/;

/**
 * The three HTTP-date forms RFC 9110 asks recipients to accept: IMF-fixdate, RFC 850 and asctime.
 * Date.parse alone is too lenient ("foo 1" is a date in 2001 to it), so the shape is checked first.
 */
const IMF_FIXDATE = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC_850_DATE = /^[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

function httpDate(value: string): number {
  if (IMF_FIXDATE.test(value) || RFC_850_DATE.test(value)) return Date.parse(value);
  // asctime carries no zone and means GMT; Date.parse would read it in the machine's zone.
  if (ASCTIME_DATE.test(value)) return Date.parse(`${value} GMT`);
  return Number.NaN;
}

/**
 * The delay a Retry-After header asks for, in whole milliseconds: delta-seconds (fractions included)
 * or an HTTP date, measured from `now` (a date already past asks for no wait). Undefined when the
 * header is absent or unreadable, so the caller's own back-off applies.
 */
export function retryAfterMs(header: string | null | undefined, now: Date): number | undefined {
  const value = header?.trim();
  if (value === undefined || value === '') return undefined;
  const delay = DELTA_SECONDS.test(value)
    ? Math.ceil(Number(value) * 1000)
    : Math.max(0, httpDate(value) - now.getTime());
  return Number.isFinite(delay) ? delay : undefined;
}
