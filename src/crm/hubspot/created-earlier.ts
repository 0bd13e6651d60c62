import type { Client } from '@hubspot/api-client';
import type { Clock } from '../../time/clock.js';
import { callHubSpot } from './error-classification.js';

/** The objects a delivery creates without a unique property of its own to upsert by. */
export type RecoverableObjectType = 'deals' | 'tasks' | 'calls';

/** The property that names each: what a redelivery compares. */
const NAME_PROPERTY: Record<RecoverableObjectType, string> = {
  deals: 'dealname',
  tasks: 'hs_task_subject',
  calls: 'hs_call_title',
};

/** A contact's records of one type looked at, newest ids first: a caller rarely has more. */
const MAX_LOOKED_AT = 20;

export interface CreatedEarlierQuery {
  client: Client;
  contactId: string;
  objectType: RecoverableObjectType;
  properties: Record<string, string>;
  /** The earliest creation time a record of the announced create may carry (CreatedRecords.creatingSince). */
  since: number;
  call: { clock: Clock; timeoutMs: number; gate: () => Promise<unknown> };
}

/**
 * The record an earlier delivery of the command created but could not remember (it crashed or timed out
 * between HubSpot's answer and the ledger's acknowledgement): among the contact's associated records of
 * the type, one with the same name created since the announcement. Associations and records are read
 * by id, not through the search index, so a record made a moment ago is found. Undefined when the
 * record has no name to compare, or none matches.
 */
export async function createdEarlier(query: CreatedEarlierQuery): Promise<string | undefined> {
  const { client, contactId, objectType } = query;
  const nameProperty = NAME_PROPERTY[objectType];
  const name = query.properties[nameProperty];
  if (name === undefined || name === '') return undefined;
  const options = { ...query.call, objectType };
  const contact = await callHubSpot(
    'contacts.getById',
    () => client.crm.contacts.basicApi.getById(contactId, ['hs_object_id'], undefined, [objectType]),
    options,
  );
  const ids = [...new Set((contact.associations?.[objectType]?.results ?? []).map((r) => r.id))]
    .sort((a, b) => Number(b) - Number(a))
    .slice(0, MAX_LOOKED_AT);
  for (const id of ids) {
    const record = await callHubSpot(
      `${objectType}.getById`,
      () => {
        switch (objectType) {
          case 'deals':
            return client.crm.deals.basicApi.getById(id, [nameProperty]);
          case 'tasks':
            return client.crm.objects.tasks.basicApi.getById(id, [nameProperty]);
          case 'calls':
            return client.crm.objects.calls.basicApi.getById(id, [nameProperty]);
        }
      },
      options,
    );
    const createdAt = new Date(record.createdAt).getTime();
    if (record.properties[nameProperty] === name && createdAt >= query.since) return id;
  }
  return undefined;
}
