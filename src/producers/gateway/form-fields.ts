import { type JsonObject, text } from './input-values.js';

/** Field names forms commonly use for the same datum, most specific first. */
const NAME_KEYS = ['name', 'full_name', 'fullname', 'your_name', 'customer_name'];
const FIRST_NAME_KEYS = ['first_name', 'firstname', 'fname'];
const LAST_NAME_KEYS = ['last_name', 'lastname', 'lname'];
const PHONE_KEYS = ['phone', 'phone_number', 'phonenumber', 'telephone', 'tel', 'mobile', 'customer_phone'];
const EMAIL_KEYS = ['email', 'email_address', 'emailaddress', 'your_email', 'customer_email'];
const MESSAGE_KEYS = [
  'message',
  'comments',
  'comment',
  'notes',
  'project_description',
  'description',
  'details',
];
const CITY_KEYS = ['city', 'customer_city'];
const STATE_KEYS = ['state', 'region', 'customer_state'];

/** A form's own fields, every value as text (lists joined), keys lower-cased for matching. */
export function formFieldsOf(fields: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    const rendered = Array.isArray(value)
      ? value.map(String).join(', ')
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
    if (rendered.trim() !== '') out[key] = rendered.trim();
  }
  return out;
}

function lowerKeys(fields: Record<string, string>): JsonObject {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key.toLowerCase(), value]));
}

export interface FormContact {
  name: string | null;
  phone: string | null;
  email: string | null;
  message: string | null;
  city: string | null;
  state: string | null;
}

/** Picks the contact out of a form whatever its builder named the fields. */
export function contactFromForm(fields: Record<string, string>): FormContact {
  const lower = lowerKeys(fields);
  const first = text(lower, ...FIRST_NAME_KEYS);
  const last = text(lower, ...LAST_NAME_KEYS);
  const joined = [first, last].filter((part) => part !== null).join(' ');
  return {
    name: text(lower, ...NAME_KEYS) ?? (joined === '' ? null : joined),
    phone: text(lower, ...PHONE_KEYS),
    email: text(lower, ...EMAIL_KEYS),
    message: text(lower, ...MESSAGE_KEYS),
    city: text(lower, ...CITY_KEYS),
    state: text(lower, ...STATE_KEYS),
  };
}
