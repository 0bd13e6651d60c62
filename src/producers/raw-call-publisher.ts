import type { RawCall } from '../events/raw-call.js';

/**
 * Writes an accepted lead to raw-calls. Resolves only once the cluster acknowledged the write
 * (acks=all); throws LeadstreamError('kafka_unavailable') otherwise, so the caller can answer 503.
 */
export interface RawCallPublisher {
  publish(call: RawCall): Promise<void>;
}
