/** 0000-01-01 and 9999-12-31 UTC: the times a CRM's date property, and a four-digit year, can hold. */
const MIN_MS = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** A day, then optionally a time of day with an optional offset: the ISO forms, nothing looser. */
const ISO = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** Whether an epoch time is one toISOString() writes with a four-digit year (and does not throw on). */
export function isCalendarTime(ms: number): boolean {
  return ms >= MIN_MS && ms <= MAX_MS;
}

/**
 * The epoch time of a date (`YYYY-MM-DD`, UTC midnight) or an ISO time, or undefined. Date.parse
 * alone takes "1" for 2001, "March 7" for a date in 2001 and rolls "2026-02-30" over to March.
 */
export function calendarTime(text: string): number | undefined {
  const day = ISO.exec(text)?.[1];
  if (day === undefined) return undefined;
  const midnight = Date.parse(`${day}T00:00:00Z`);
  if (!isCalendarTime(midnight) || new Date(midnight).toISOString().slice(0, 10) !== day) return undefined;
  const ms = text.length === day.length ? midnight : Date.parse(text);
  return isCalendarTime(ms) ? ms : undefined;
}
