import { type CountryCode, DEFAULT_PHONE_COUNTRY, readPhone } from '../../identity/phone-identity.js';

/**
 * A phone number in E.164 (+15551234567), read as a number of `defaultRegion` when it has no country
 * code. A value that is not a valid number is kept as sent, trimmed: a salesperson can still read it,
 * and nothing the caller gave is lost.
 */
export function toE164(
  raw: string | null,
  defaultRegion: CountryCode = DEFAULT_PHONE_COUNTRY,
): string | null {
  if (raw === null) return null;
  const trimmed = raw.trim();
  if (trimmed === '') return null;
  const parsed = readPhone(trimmed, defaultRegion);
  return parsed?.isValid() ? parsed.number : trimmed;
}
