import { type CountryCode, type PhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type { CountryCode };

/**
 * The country a number written without a country code belongs to. No tenant setting names one yet
 * (every tenant so far is in North America), so it is the same for all; callers pass it through so a
 * per-tenant setting is one change where they look it up.
 */
export const DEFAULT_PHONE_COUNTRY: CountryCode = 'US';

/**
 * Numbers read lately, by country and text. Every stage reads a lead's number (its contact key in the
 * enricher and the mapper, the mapping's E.164), and one reading costs 40-100 µs: more than the rest of
 * the mapper's work on a short call. Bounded: the oldest reading goes first.
 */
const recentlyRead = new Map<string, PhoneNumber | undefined>();
const READINGS_KEPT = 10_000;

/** The one way leadstream reads a phone number: libphonenumber's, with `defaultCountry` for national numbers. */
export function readPhone(
  text: string,
  defaultCountry: CountryCode = DEFAULT_PHONE_COUNTRY,
): PhoneNumber | undefined {
  const key = `${defaultCountry}\u0000${text}`;
  if (recentlyRead.has(key)) return recentlyRead.get(key);
  const phone = parsePhoneNumberFromString(text.trim(), defaultCountry);
  if (recentlyRead.size >= READINGS_KEPT) {
    const oldest = recentlyRead.keys().next();
    if (!oldest.done) recentlyRead.delete(oldest.value);
  }
  recentlyRead.set(key, phone);
  return phone;
}

/**
 * Who a number reaches, in E.164 ("+1 (512) 555-0100", "512.555.0100" and "+15125550100" are all
 * "+15125550100"), or null when the text is not a possible number. Possible rather than valid: a number
 * from an area code newer than libphonenumber's metadata is still the same caller each time.
 */
export function phoneIdentity(
  text: string | null,
  defaultCountry: CountryCode = DEFAULT_PHONE_COUNTRY,
): string | null {
  if (text === null) return null;
  const phone = readPhone(text, defaultCountry);
  return phone?.isPossible() ? phone.number : null;
}

const digitsOf = (text: string) => text.replace(/\D/g, '');

/**
 * What "same phone" compares: the E.164 identity, else the bare digits, so two spellings of a number
 * libphonenumber cannot place ("555-0143") still meet; '' when the text holds no digit at all.
 */
export function phoneMatchKey(text: string, defaultCountry: CountryCode = DEFAULT_PHONE_COUNTRY): string {
  return phoneIdentity(text, defaultCountry) ?? digitsOf(text);
}

/** Whether two texts are the same phone number however each was typed. */
export function samePhone(
  a: string,
  b: string,
  defaultCountry: CountryCode = DEFAULT_PHONE_COUNTRY,
): boolean {
  const key = phoneMatchKey(a, defaultCountry);
  return key !== '' && key === phoneMatchKey(b, defaultCountry);
}

/**
 * A number's national digits ("5125550143"), the form HubSpot's and Pipedrive's phone search indexes
 * hold: what a search is asked for, never what a match is decided on (a Mexican and a US number can
 * share them).
 */
export function nationalDigits(text: string, defaultCountry: CountryCode = DEFAULT_PHONE_COUNTRY): string {
  return readPhone(text, defaultCountry)?.nationalNumber ?? digitsOf(text);
}
