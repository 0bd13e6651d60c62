import type { TenantConfigSource } from '../config/tenants/tenant-config-source.js';
import { asEnrichedCall } from '../events/decoded-events.js';
import type { EnrichedCall } from '../events/enriched-call.js';
import { contactKeyOfEnrichedCall } from '../identity/contact-key.js';
import type { AvroSerde } from '../kafka/avro-serde.js';
import type { StageDefinition } from '../kafka/stage-runner.js';
import { buildCrmCommand } from '../mapping/build-command.js';
import { type Clock, fixedClock } from '../time/clock.js';
import { requireTenant } from './tenant-lookup.js';

export interface MapperDeps {
  serde: AvroSerde;
  tenants: TenantConfigSource;
  clock: Clock;
  topics: { input: string; output: string };
}

/** enriched-calls → crm-commands: applies the tenant's mapping configuration. */
export function mapperStage(deps: MapperDeps): StageDefinition<EnrichedCall> {
  return {
    name: 'mapper',
    workflowStep: 'mapping',
    inputTopic: deps.topics.input,
    decode: async (value) => asEnrichedCall(await deps.serde.decode('EnrichedCall', value)),
    describe: (event) => ({ tenant_id: event.call.tenant_id, call_id: event.call.call_id }),
    // Numbers without a country code are read as DEFAULT_PHONE_COUNTRY's, as buildCrmCommand reads
    // them for contact_key: no tenant setting names another country, and the tenant lookup is async.
    orderingKey: (event) => contactKeyOfEnrichedCall(event),
    async handle(event) {
      const tenant = await requireTenant(deps.tenants, event.call.tenant_id);
      // Dates in the mapping (today(), due dates) count from when the call came in, so a call replayed
      // from the dead letters days later maps as it did; created_at still says when it was built.
      const command = buildCrmCommand(
        event,
        tenant,
        fixedClock(new Date(event.call.received_at)),
        deps.clock.now(),
      );
      return [
        {
          topic: deps.topics.output,
          key: command.tenant_id,
          value: deps.serde.encode(deps.topics.output, 'CrmCommand', command),
        },
      ];
    },
  };
}
