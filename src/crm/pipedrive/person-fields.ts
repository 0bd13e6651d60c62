import type { Scalar } from './field-values.js';
import type { PipedrivePersonPayload } from './payloads.js';

/** The `field_mappings` names that are parts of the v2 person's `postal_address`, by its key. */
const ADDRESS_PARTS = {
  address_locality: 'locality',
  address_admin_area_level_1: 'admin_area_level_1',
  address_postal_code: 'postal_code',
  address_country: 'country',
} as const;

/** What one command says of a person, sorted into the v2 body's parts. */
export interface PersonWrite {
  name: string | undefined;
  phone: string | undefined;
  email: string | undefined;
  postal_address: Record<string, string> | undefined;
  /**
   * Values of custom fields by configured name: `custom_fields`, plus mapped names v2 has no
   * parameter for (`lead_source`), which a company keeps as a custom field of that name.
   */
  custom: Record<string, Scalar>;
  owner_id: number | null;
}

const text = (value: Scalar | undefined): string | undefined => {
  if (value === undefined || value === null) return undefined;
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
};

/**
 * Sorts a person payload: v2 takes no first_name/last_name (it derives them from name), so they only
 * make the name when none is mapped; the address parts become one postal_address whose `value` is
 * the whole address, as Pipedrive shows it.
 */
export function personWriteOf(payload: PipedrivePersonPayload): PersonWrite {
  const fields = payload.fields;
  const address: Record<string, string> = {};
  for (const [name, part] of Object.entries(ADDRESS_PARTS)) {
    const value = text(fields[name]);
    if (value !== undefined) address[part] = value;
  }
  const parts = Object.values(address);
  const custom: Record<string, Scalar> = { ...payload.custom_fields };
  const known = new Set(['name', 'first_name', 'last_name', 'phone', 'email', ...Object.keys(ADDRESS_PARTS)]);
  for (const [name, value] of Object.entries(fields)) {
    if (!known.has(name)) custom[name] = value;
  }
  const fullName = [text(fields.first_name), text(fields.last_name)].filter(Boolean).join(' ');
  return {
    name: text(fields.name) ?? (fullName === '' ? undefined : fullName),
    phone: text(fields.phone),
    email: text(fields.email),
    postal_address: parts.length === 0 ? undefined : { ...address, value: parts.join(', ') },
    custom,
    owner_id: payload.owner_id,
  };
}
