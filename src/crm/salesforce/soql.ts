import { phoneIdentity } from '../../identity/phone-identity.js';

/**
 * SOQL text built from values a caller supplied. Field and object names are never taken from the call
 * (they are constants here, or config names validated by salesforceFieldNameSchema); every value goes
 * through soqlString.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A quoted SOQL string literal: backslash, quotes and control characters escaped as SOQL reads them. */
export function soqlString(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c] ?? c)}'`;
}

/**
 * The spellings a number may be stored under. Salesforce compares phones as text: the mapper writes
 * E.164, while a number a salesperson typed into a US org is shown and stored as (512) 555-0143.
 */
export function phoneSpellings(phone: string): string[] {
  const identity = phoneIdentity(phone);
  // Only North American numbers have the (512) 555-0143 spelling.
  if (identity === null || !/^\+1\d{10}$/.test(identity)) return [phone];
  const national = identity.slice(2);
  const [area, exchange, line] = [national.slice(0, 3), national.slice(3, 6), national.slice(6)];
  return [
    ...new Set([
      phone,
      `+1${national}`,
      national,
      `(${area}) ${exchange}-${line}`,
      `${area}-${exchange}-${line}`,
    ]),
  ];
}

export interface LeadMatchCriteria {
  phone?: string;
  email?: string;
}

/** Open (not converted) leads with the caller's phone or email, oldest first. */
export function leadMatchQuery(criteria: LeadMatchCriteria, limit = 20): string {
  const conditions: string[] = [];
  if (criteria.phone !== undefined) {
    conditions.push(`Phone IN (${phoneSpellings(criteria.phone).map(soqlString).join(', ')})`);
  }
  if (criteria.email !== undefined) conditions.push(`Email = ${soqlString(criteria.email)}`);
  return `SELECT Id, Phone, Email FROM Lead WHERE IsConverted = false AND (${conditions.join(' OR ')}) ORDER BY CreatedDate ASC LIMIT ${limit}`;
}

/** The follow-up task an earlier delivery of the same command created, found by its CallObject marker. */
export function taskMarkerQuery(marker: string): string {
  return `SELECT Id, WhoId FROM Task WHERE CallObject = ${soqlString(marker)} LIMIT 1`;
}
