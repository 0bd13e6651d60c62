import type { SalesforceSession } from './salesforce-session.js';

/** The Lead field `leadstream crm provision` creates and new leads are upserted by. */
export const IDEMPOTENCY_KEY_FIELD = 'Leadstream_Idempotency_Key__c';

/**
 * The Tooling API's CustomField for it: unique and case-sensitive (the keys are hex, and a unique
 * index is what lets upsert run without the View All Data permission a non-unique external id needs),
 * an External ID so sObject Rows by External ID can find a lead by it.
 */
export const idempotencyKeyCustomField = {
  FullName: `Lead.${IDEMPOTENCY_KEY_FIELD}`,
  Metadata: {
    label: 'Leadstream Idempotency Key',
    description: 'Set by leadstream: the call and operation that created this lead. Do not edit.',
    type: 'Text',
    length: 80,
    unique: true,
    externalId: true,
    caseSensitive: true,
  },
} as const;

/**
 * The key of one operation of one command: the command's idempotency key (64 hex characters, from the
 * mapper) and the operation's ref, well within the field's 80 characters.
 */
export function idempotencyKeyOf(commandKey: string, ref: string): string {
  return `${commandKey}:${ref}`;
}

/**
 * Whether upsert answers the record's id for an update too: from API version 46.0 it answers 200 with
 * `{id, created: false}`; before, 204 without a body, which leaves a follow-up task nothing to name.
 */
export function upsertAnswersIds(apiVersion: string): boolean {
  return Number(apiVersion) >= 46;
}

/** sObject Rows by External ID for a lead's key: PATCH creates the lead or updates the one holding it. */
export function leadUpsertPath(session: SalesforceSession, key: string): string {
  return session.dataPath(`/sobjects/Lead/${IDEMPOTENCY_KEY_FIELD}/${encodeURIComponent(key)}`);
}
