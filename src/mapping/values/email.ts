const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An e-mail address lower-cased, or null when the value is not one (CRMs refuse those). */
export function normalizeEmail(raw: string | null): string | null {
  if (raw === null) return null;
  const email = raw.trim().toLowerCase();
  return EMAIL.test(email) ? email : null;
}
