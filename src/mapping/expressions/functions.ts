import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Clock } from '../../time/clock.js';
import { type ExpressionValue, typeName } from './expression-value.js';

interface FunctionSpec {
  minArgs: number;
  maxArgs: number;
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
function dateOf(value: ExpressionValue): Date {
  const parsed =
    typeof value === 'string' ? Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value) : Number.NaN;
  if (Number.isNaN(parsed))
    // The value is not quoted: it comes from the call, and errors travel to logs and dead-letter headers.
    fail(`addDays() expected a date (YYYY-MM-DD or an ISO time), got ${typeName(value)}`);
  return new Date(parsed);
}

const isoDate = (date: Date): string => date.toISOString().slice(0, 10);

/**
 * Every function an expression may call; nothing else is reachable. Dates come from the injected
 * clock, so a replayed call maps as it did.
 */
export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  today: { minArgs: 0, maxArgs: 0, call: (_args, clock) => isoDate(clock.now()) },
  now: { minArgs: 0, maxArgs: 0, call: (_args, clock) => clock.now().toISOString() },
  addDays: {
    minArgs: 2,
    maxArgs: 2,
    call: ([date, days]) => {
      if (typeof days !== 'number' || !Number.isInteger(days)) {
        fail(`addDays() expected a whole number of days, got ${typeName(days ?? null)}`);
      }
      return isoDate(new Date(dateOf(date ?? null).getTime() + days * DAY_MS));
    },
  },
  lower: { minArgs: 1, maxArgs: 1, call: ([value]) => text('lower', value ?? null).toLowerCase() },
  upper: { minArgs: 1, maxArgs: 1, call: ([value]) => text('upper', value ?? null).toUpperCase() },
  concat: {
    minArgs: 1,
    maxArgs: 20,
    call: (args) => args.map((value) => (value === null ? '' : String(value))).join(''),
  },
  coalesce: {
    minArgs: 1,
    maxArgs: 20,
    call: (args) => args.find((value) => value !== null && value !== '') ?? null,
  },
  round: {
    minArgs: 1,
    maxArgs: 1,
    call: ([value]) => {
      if (typeof value !== 'number') fail(`round() expected number, got ${typeName(value ?? null)}`);
      return Math.round(value);
    },
  },
};

export function isKnownFunction(name: string): boolean {
  return Object.hasOwn(FUNCTIONS, name);
}
