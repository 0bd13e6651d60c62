import { readFileSync } from 'node:fs';
import type { EnrichedCall } from '../../src/events/enriched-call.js';

const DIRECTORY = new URL('../fixtures/guide/', import.meta.url);

/** A setup-guide block from test/fixtures/guide/NAME.json: its crm_config exactly as the guide writes it. */
export function guideCrmConfig(
  name: 'hubspot' | 'salesforce' | 'pipedrive' | 'custom-rest',
): Record<string, unknown> {
  const fixture = JSON.parse(readFileSync(new URL(`${name}.json`, DIRECTORY), 'utf8')) as {
    crm_config: Record<string, unknown>;
  };
  return fixture.crm_config;
}

/** The enriched call the guide fixtures map (Jane Doe, a kitchen, score 92), fresh for each caller to change. */
export function guideEnrichedCall(): EnrichedCall {
  return JSON.parse(readFileSync(new URL('enriched-call.json', DIRECTORY), 'utf8')) as EnrichedCall;
}

/** The guide's call as call `callId` of `tenantId`, changed as a scenario needs. */
export function guideCallOf(
  tenantId: string,
  callId: string,
  change: (call: EnrichedCall) => void = () => {},
): EnrichedCall {
  const enriched = guideEnrichedCall();
  enriched.call.tenant_id = tenantId;
  enriched.call.call_id = callId;
  change(enriched);
  return enriched;
}
