import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * A phone number in E.164 (+15551234567), read as a number of `defaultRegion` when it has no country
 * code. A value that is not a valid number is kept as sent, trimmed: a salesperson can still read it,
 * and nothing the caller gave is lost.
 */
export function toE164(raw: string | null, defaultRegion: 'US' | 'CA' = 'US'): string | null {
  if (raw === null) return null;
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  const parsed = parsePhoneNumberFromString(trimmed, defaultRegion);
  return parsed?.isValid() ? parsed.number : trimmed;
}
