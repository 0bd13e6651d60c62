import {
  PropertyCreateFieldTypeEnum as FieldType,
  type PropertyCreate,
  PropertyCreateTypeEnum as PropertyType,
} from '@hubspot/api-client/lib/codegen/crm/properties/index.js';

export const IDEMPOTENCY_KEY_PROPERTY = 'leadstream_idempotency_key';

/** The property group leadstream's own bookkeeping properties live in, apart from the guide's. */
export const LEADSTREAM_GROUP = { name: 'leadstream', label: 'Leadstream' } as const;

/**
 * The object types delivery creates that can hold the key. HubSpot allows unique-value properties on
 * contacts, companies, deals, tickets and custom objects only (at most 10 per object); tasks and calls
 * are activities and cannot have one, so they stay with the delivery ledger.
 */
export const IDEMPOTENCY_KEY_OBJECTS = ['deals'] as const;
export type IdempotencyKeyObject = (typeof IDEMPOTENCY_KEY_OBJECTS)[number];

export function isIdempotencyKeyObject(objectType: string): objectType is IdempotencyKeyObject {
  return (IDEMPOTENCY_KEY_OBJECTS as readonly string[]).includes(objectType);
}

/**
 * Unique per portal, so HubSpot's batch upsert by it lands a redelivered command on the record its
 * first delivery created, whichever process runs it. Kept off forms: nobody should type one.
 */
export const idempotencyKeyPropertyDefinition: PropertyCreate = {
  name: IDEMPOTENCY_KEY_PROPERTY,
  label: 'Leadstream Idempotency Key',
  description: 'Set by leadstream: the call and operation that created this record. Do not edit.',
  groupName: LEADSTREAM_GROUP.name,
  type: PropertyType.String,
  fieldType: FieldType.Text,
  hasUniqueValue: true,
  formField: false,
};

/** The key of one operation of one command: the command's idempotency key and the operation's ref. */
export function idempotencyKeyOf(commandKey: string, ref: string): string {
  return `${commandKey}:${ref}`;
}
