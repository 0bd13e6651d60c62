/**
 * Posts the sample CallRail webhook (examples/webhooks/callrail-post-call.json), signed like CallRail
 * signs it, to a running gateway, then shows the contact as it landed in the demo HubSpot emulator.
 * Each run sends a new call id from the same caller: the second run updates the contact, not a copy.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const gateway = process.env.GATEWAY_URL ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? '8080'}`;
const crm = process.env.DEMO_CRM_URL ?? `http://127.0.0.1:${process.env.DEMO_CRM_PORT ?? '8089'}`;
const signingToken =
  process.env.LEADSTREAM_SECRET_DEMO_CALLRAIL_SIGNING_TOKEN ?? 'demo-callrail-signing-token';
const crmToken = process.env.LEADSTREAM_SECRET_DEMO_HUBSPOT_TOKEN ?? 'demo-hubspot-token';
const file = process.argv[2] ?? new URL('../examples/webhooks/callrail-post-call.json', import.meta.url);

const payload = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
payload.resource_id = `CAL${randomUUID().replace(/-/g, '')}`;
const body = JSON.stringify(payload);
const signature = createHmac('sha1', signingToken).update(body).digest('base64');

const response = await fetch(`${gateway}/v1/callrail/webhook`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', signature },
  body,
});
console.log(`gateway answered ${response.status}: ${await response.text()}`);
if (response.status !== 202) process.exit(1);

const phone = String(payload.customer_phone_number);
for (let i = 0; i < 30; i++) {
  await sleep(1000);
  const search = await fetch(`${crm}/crm/v3/objects/contacts/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${crmToken}` },
    body: JSON.stringify({
      filterGroups: [{ filters: [{ propertyName: 'phone', operator: 'EQ', value: phone }] }],
      properties: [
        'firstname',
        'lastname',
        'phone',
        'city',
        'ai_lead_score',
        'ai_project_type',
        'ai_timeline',
      ],
    }),
  });
  const found = (await search.json()) as { total?: number; results?: unknown[] };
  if ((found.total ?? 0) > 0) {
    console.log(`in the demo CRM after ~${i + 1}s:\n${JSON.stringify(found.results, null, 2)}`);
    process.exit(0);
  }
}
console.log('not in the demo CRM after 30s: see the leadstream logs (error_type) and the dead-letters topic');
process.exit(1);
