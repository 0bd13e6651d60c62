import { GatewayError } from './gateway-error.js';

/** A JSON object as received: keys are the sender's, values anything JSON holds. */
export type JsonObject = { [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(field: string, expectation: string): GatewayError {
  return new GatewayError(400, 'validation_error', `${field} must be ${expectation}`, field);
}

/**
 * The first of the keys that holds a non-empty value, as text. Sources send "" for missing values, and
 * ids as numbers or strings: both are text here.
 */
export function text(body: JsonObject, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = body[key];
    if (value === undefined || value === null) continue;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') throw invalid(key, 'a string');
    const trimmed = value.trim();
    if (trimmed !== '') return trimmed;
  }
  return null;
}

/** Whole non-negative seconds, from a number or a numeric string ("180", as CallRail sends it). */
export function seconds(body: JsonObject, key: string): number | null {
  const value = body[key];
  if (value === undefined || value === null || value === '') return null;
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 0 || number > 2_147_483_647) {
    throw invalid(key, 'a whole number of seconds');
  }
  return number;
}

export function flag(body: JsonObject, key: string): boolean | null {
  const value = body[key];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalid(key, 'true or false');
}

/** Epoch milliseconds from the first key holding an ISO 8601 date-time. */
export function instant(body: JsonObject, ...keys: string[]): number | null {
  for (const key of keys) {
    const value = text(body, key);
    if (value === null) continue;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw invalid(key, 'an ISO 8601 date-time');
    return ms;
  }
  return null;
}

/** Non-empty string values of the keys that are present, for attribution maps. */
export function pick(body: JsonObject, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = text(body, key);
    if (value !== null) out[key] = value;
  }
  return out;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function email(value: string | null, field: string): string | null {
  if (value === null) return null;
  if (!EMAIL.test(value)) throw invalid(field, 'an email address');
  return value.toLowerCase();
}

export function phone(value: string | null, field: string): string | null {
  if (value === null) return null;
  const digits = value.replace(/\D/g, '').length;
  if (digits < 7 || digits > 15) throw invalid(field, 'a phone number');
  return value;
}
