import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { RawCall } from '../../events/raw-call.js';
import type { RawCallPublisher } from '../raw-call-publisher.js';
import { GatewayError } from './gateway-error.js';

/**
 * Publishes and waits for Kafka's acknowledgement, at most `timeoutMs`. CallRail does not retry and
 * disables webhooks that keep failing, so a slow cluster gets a prompt 503 rather than a hung request.
 * A write that is acknowledged after we gave up is not lost: downstream it is deduplicated by call id.
 */
export async function publishWithin(
  publisher: RawCallPublisher,
  call: RawCall,
  timeoutMs: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const published = publisher.publish(call);
  published.catch(() => undefined);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new LeadstreamError('kafka_unavailable', `Kafka did not acknowledge within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([published, timeout]);
  } catch (error) {
    if (error instanceof LeadstreamError && error.type === 'record_too_large') {
      // Refused before it was sent: nothing was stored, and the same request would be refused again.
      throw new GatewayError(413, 'record_too_large', `the lead is too large to store: ${error.message}`);
    }
    if (error instanceof LeadstreamError && error.type === 'kafka_unavailable') {
      throw new GatewayError(
        503,
        'kafka_unavailable',
        'the lead could not be stored right now; retry shortly',
      );
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
