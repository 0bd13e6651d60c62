import type { HttpRequest, HttpRequestOptions, HttpResponse, StreamPromise } from 'jsforce';
import { Transport } from 'jsforce/lib/transport.js';

/**
 * jsforce's transport, without its own retries and with our deadline. Left alone, jsforce retries
 * GETs five times on 429 and 5xx with backoff (15 s in all) and gives up after 30 minutes: that would
 * hide a throttled org from the stage runner, which retries with its own backoff and dead-letters.
 */
export class NoRetryTransport extends Transport {
  constructor(private readonly timeoutMs: number) {
    super();
  }

  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}): StreamPromise<HttpResponse> {
    return super.httpRequest(req, {
      ...options,
      retry: { ...options.retry, methods: [] },
      timeout: this.timeoutMs,
    });
  }
}
