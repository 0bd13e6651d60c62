import { createHash } from 'node:crypto';
import type { EnrichedCall } from '../events/enriched-call.js';
import type { RawCall } from '../events/raw-call.js';
import { normalizeEmail } from '../mapping/values/email.js';
import { type CountryCode, DEFAULT_PHONE_COUNTRY, phoneIdentity } from './phone-identity.js';

export interface ContactFacts {
  tenantId: string;
  phone: string | null;
  email: string | null;
  callId: string;
  defaultCountry?: CountryCode | undefined;
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

/**
 * Which of a tenant's contacts a lead is about: `<tenant_id>:phone:<h>` for the caller's number in
 * E.164, else `<tenant_id>:email:<h>` for the e-mail lower-cased (when it is one), else
 * `<tenant_id>:call:<h>` for the call id, h being the first 128 bits of the value's SHA-256 in hex.
 * Leads of one key are delivered in order and leads of different keys may run concurrently, so two
 * calls from one person never race to create two records. Hashed because the key travels on Kafka,
 * names ledger entries and may be logged, none of which needs the caller's number or address.
 */
export function contactKeyOf(facts: ContactFacts): string {
  const phone = phoneIdentity(facts.phone, facts.defaultCountry ?? DEFAULT_PHONE_COUNTRY);
  if (phone !== null) return `${facts.tenantId}:phone:${digest(phone)}`;
  const email = normalizeEmail(facts.email);
  if (email !== null) return `${facts.tenantId}:email:${digest(email)}`;
  return `${facts.tenantId}:call:${digest(facts.callId)}`;
}

export function contactKeyOfRawCall(call: RawCall, defaultCountry?: CountryCode): string {
  return contactKeyOf({
    tenantId: call.tenant_id,
    phone: call.customer_phone,
    email: call.customer_email,
    callId: call.call_id,
    defaultCountry,
  });
}

export function contactKeyOfEnrichedCall(event: EnrichedCall, defaultCountry?: CountryCode): string {
  return contactKeyOfRawCall(event.call, defaultCountry);
}
