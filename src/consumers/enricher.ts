import type { Analyzer } from '../analysis/analyzer.js';
import {
  type MissingTranscriptDeps,
  withMissingTranscript,
} from '../analysis/transcripts/missing-transcript.js';
import type { TenantConfigSource } from '../config/tenants/tenant-config-source.js';
import { contractRejectionReason } from '../events/contract-rejection.js';
import { asRawCall } from '../events/decoded-events.js';
import type { EnrichedCall } from '../events/enriched-call.js';
import type { RawCall } from '../events/raw-call.js';
import { contactKeyOfRawCall } from '../identity/contact-key.js';
import type { AvroSerde } from '../kafka/avro-serde.js';
import { producerContext } from '../kafka/producer-headers.js';
import type { StageDefinition } from '../kafka/stage-runner.js';
import type { Metrics } from '../observability/metrics.js';
import type { Clock } from '../time/clock.js';
import { requireTenant } from './tenant-lookup.js';

export interface EnricherDeps {
  serde: AvroSerde;
  tenants: TenantConfigSource;
  analyzer: Analyzer;
  /** Where a call's transcript is fetched when its webhook carried none; without it, none is fetched. */
  transcripts?: MissingTranscriptDeps;
  clock: Clock;
  /**
   * Counts the records producers sent that break the contract (leadstream_upstream_rejections_total)
   * and those keyed other than by their tenant_id (leadstream_upstream_key_mismatches_total).
   */
  metrics?: Metrics;
  topics: { input: string; output: string };
}

/** raw-calls → enriched-calls: adds the analyzer's view of the lead. */
export function enricherStage(deps: EnricherDeps): StageDefinition<RawCall> {
  return {
    name: 'enricher',
    workflowStep: 'enrichment',
    inputTopic: deps.topics.input,
    decode: async (value) => asRawCall(await deps.serde.decode('RawCall', value)),
    describe: (call) => ({ tenant_id: call.tenant_id, call_id: call.call_id }),
    // Numbers without a country code are read as DEFAULT_PHONE_COUNTRY's, as the mapper reads them
    // for contact_key: no tenant setting names another country, and the tenant lookup is async.
    orderingKey: (call) => contactKeyOfRawCall(call),
    logContext(message) {
      const { producer, correlationId } = producerContext(message.headers);
      return {
        ...(producer === 'unknown' ? {} : { producer }),
        ...(correlationId === undefined ? {} : { correlation_id: correlationId }),
      };
    },
    inspect(call, message) {
      // Key = tenant_id keeps a tenant's records on one partition, in order; a record keyed otherwise
      // is still a valid lead, and its own idempotency key holds, so it is delivered and made visible.
      const key = message.key?.toString();
      if (key === call.tenant_id) return undefined;
      const { producer } = producerContext(message.headers);
      deps.metrics?.countUpstreamKeyMismatch(producer);
      return {
        status: 'key_not_tenant_id',
        message: `${producer === 'unknown' ? 'a producer' : `producer ${producer}`} keyed this record ${key === undefined ? 'with no key' : 'with another key'} (its value, the producer's, is not logged), not its tenant_id: processed, but out of order with the tenant's other records`,
      };
    },
    onDeadLettered(input, error, message) {
      // An output the enricher itself could not encode is its own failure, not the producer's.
      if (input !== undefined && error.type === 'serde_error') return;
      const reason = contractRejectionReason(error);
      if (reason !== undefined)
        deps.metrics?.countUpstreamRejection(producerContext(message?.headers).producer, reason);
    },
    async handle(received) {
      const tenant = await requireTenant(deps.tenants, received.tenant_id);
      const call = deps.transcripts
        ? await withMissingTranscript(received, tenant, deps.transcripts)
        : received;
      const enriched: EnrichedCall = {
        call,
        ai_analysis: await deps.analyzer.analyze(call, tenant),
        enriched_at: deps.clock.now().getTime(),
      };
      return [
        {
          topic: deps.topics.output,
          key: call.tenant_id,
          value: deps.serde.encode(deps.topics.output, 'EnrichedCall', enriched),
        },
      ];
    },
  };
}
