import { LeadstreamError, toLeadstreamError } from '../../errors/leadstream-error.js';
import type { RawCall } from '../../events/raw-call.js';
import type { RawCallPublisher } from '../raw-call-publisher.js';

export interface WindowResult {
  /** How many calls from the window's start Kafka acknowledged, without a gap. */
  acknowledged: number;
  /** Why the call after them was not written; undefined when all were. */
  error: LeadstreamError | undefined;
}

/**
 * Publishes a window of calls at once (the producer sends them together, in order) and says how far
 * from the start they were all acknowledged: what a resumable command may record as done. A call
 * acknowledged after a failed one is not counted; a rerun publishes it again, which downstream takes
 * for a redelivery of the same idempotency key (tenant_id + call_id).
 */
export async function publishWindow(
  publisher: RawCallPublisher,
  calls: readonly RawCall[],
): Promise<WindowResult> {
  const settled = await Promise.allSettled(calls.map((call) => publisher.publish(call)));
  const failed = settled.findIndex(({ status }) => status === 'rejected');
  if (failed < 0) return { acknowledged: calls.length, error: undefined };
  const reason = (settled[failed] as PromiseRejectedResult).reason;
  const error = reason instanceof LeadstreamError ? reason : toLeadstreamError(reason);
  return { acknowledged: failed, error };
}
