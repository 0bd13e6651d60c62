/**
 * "Whole Home", "whole_home" and "WHOLE-HOME" are one option, and so are "Baño" and "BAÑO": compatible
 * forms unified (NFKC), case folded (upper then lower, so "ß" meets "SS"), and everything but letters,
 * their combining marks and digits of any script dropped. Accents stay: "Baño" is "baño", never "bao".
 */
export function optionKey(text: string): string {
  return text
    .normalize('NFKC')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFC')
    .replace(/[^\p{L}\p{M}\p{N}]/gu, '');
}

/** optionKey without accents or other combining marks: "Bano" typed for "Baño". */
export function accentlessKey(text: string): string {
  return text
    .normalize('NFKD')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * The candidate a value names (a picklist option, a field option, a custom field), each candidate known
 * by one or more texts (its value and its label): the first whose text is the value exactly, else the
 * first that is the same optionKey, else the one that is the same without accents. That last step
 * answers only when one candidate fits, so a user's "Bano" finds "Baño" but "ano" never picks between
 * Spanish "Año" and "Ano", which are different words.
 */
export function findOption<T>(
  value: string,
  candidates: readonly T[],
  textsOf: (candidate: T) => readonly string[],
): T | undefined {
  const exact = candidates.find((candidate) => textsOf(candidate).includes(value));
  if (exact !== undefined) return exact;
  const key = optionKey(value);
  if (key === '') return undefined;
  const caseless = candidates.find((candidate) => textsOf(candidate).some((text) => optionKey(text) === key));
  if (caseless !== undefined) return caseless;
  const accentless = accentlessKey(value);
  const fits = candidates.filter((candidate) =>
    textsOf(candidate).some((text) => accentlessKey(text) === accentless),
  );
  return fits.length === 1 ? fits[0] : undefined;
}
