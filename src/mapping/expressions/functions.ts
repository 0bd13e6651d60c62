import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Clock } from '../../time/clock.js';
import { calendarTime, isCalendarTime } from './calendar.js';
import type { StaticType } from './expression-types.js';
import { type ExpressionValue, typeName } from './expression-value.js';

interface FunctionSpec {
  minArgs: number;
  maxArgs: number;
  /**
   * The types each argument may have, for the checks `tenants validate` makes; an argument whose type
   * is known and not listed always fails at mapping time. Absent: any type.
   */
  accepts?(index: number): readonly StaticType[] | undefined;
  /** The type of the result, given the arguments' types. */
  returns(args: readonly StaticType[]): StaticType;
  call(args: ExpressionValue[], clock: Clock): ExpressionValue;
}

const DAY_MS = 86_400_000;

function fail(message: string): never {
  throw new LeadstreamError('field_mapping_error', message);
}

function text(name: string, value: ExpressionValue): string {
  if (typeof value !== 'string') fail(`${name}() expected string, got ${typeName(value)}`);
  return value;
}

/** Calendar dates are 'YYYY-MM-DD' strings in UTC, what HubSpot date properties and SOQL dates take. */
function dateOf(name: string, value: ExpressionValue): Date {
  const parsed = typeof value === 'string' ? calendarTime(value) : undefined;
  if (parsed === undefined)
    // The value is not quoted: it comes from the call, and errors travel to logs and dead-letter headers.
    fail(`${name}() expected a date (YYYY-MM-DD or an ISO time), got ${typeName(value)}`);
  return new Date(parsed);
}

/**
 * A time a CRM can store, or a field_mapping_error: past year 9999 `toISOString()` writes a six-digit
 * year no CRM reads, and past ±8.64e15 ms it throws a bare RangeError.
 */
function inCalendar(name: string, ms: number): Date {
  if (!isCalendarTime(ms)) fail(`${name}() gave a date outside the years 0000-9999`);
  return new Date(ms);
}

const isoDate = (date: Date): string => date.toISOString().slice(0, 10);

const strings: readonly StaticType[] = ['string', 'date'];
const numbers: readonly StaticType[] = ['number'];

/**
 * Every function an expression may call; nothing else is reachable. Dates come from the injected
 * clock, so a replayed call maps as it did.
 */
export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  today: {
    minArgs: 0,
    maxArgs: 0,
    returns: () => 'date',
    call: (_args, clock) => isoDate(inCalendar('today', clock.now().getTime())),
  },
  now: {
    minArgs: 0,
    maxArgs: 0,
    returns: () => 'date',
    call: (_args, clock) => inCalendar('now', clock.now().getTime()).toISOString(),
  },
  addDays: {
    minArgs: 2,
    maxArgs: 2,
    // A date is text at run time, so text of unknown shape may be one; a number or a boolean never is.
    accepts: (index) => (index === 0 ? strings : numbers),
    returns: () => 'date',
    call: ([date, days]) => {
      if (typeof days !== 'number' || !Number.isInteger(days)) {
        fail(`addDays() expected a whole number of days, got ${typeName(days ?? null)}`);
      }
      return isoDate(inCalendar('addDays', dateOf('addDays', date ?? null).getTime() + days * DAY_MS));
    },
  },
  lower: {
    minArgs: 1,
    maxArgs: 1,
    accepts: () => strings,
    returns: () => 'string',
    call: ([value]) => text('lower', value ?? null).toLowerCase(),
  },
  upper: {
    minArgs: 1,
    maxArgs: 1,
    accepts: () => strings,
    returns: () => 'string',
    call: ([value]) => text('upper', value ?? null).toUpperCase(),
  },
  concat: {
    minArgs: 1,
    maxArgs: 20,
    returns: () => 'string',
    call: (args) => args.map((value) => (value === null ? '' : String(value))).join(''),
  },
  coalesce: {
    minArgs: 1,
    maxArgs: 20,
    returns: (args) => (args.every((type) => type === args[0]) ? (args[0] ?? 'unknown') : 'unknown'),
    call: (args) => args.find((value) => value !== null && value !== '') ?? null,
  },
  round: {
    minArgs: 1,
    maxArgs: 1,
    accepts: () => numbers,
    returns: () => 'number',
    call: ([value]) => {
      if (typeof value !== 'number') fail(`round() expected number, got ${typeName(value ?? null)}`);
      return Math.round(value);
    },
  },
};

export function isKnownFunction(name: string): boolean {
  return Object.hasOwn(FUNCTIONS, name);
}
