import type { Duplex, PassThrough } from 'node:stream';
import type { HttpRequest, HttpRequestOptions } from 'jsforce';
import { createHttpRequestHandlerStreams } from 'jsforce/lib/request-helper.js';
import { Transport } from 'jsforce/lib/transport.js';
import type { OutboundGuard } from '../../outbound/outbound-guard.js';

/** The request bodies jsforce's REST calls send; its multipart uploads are not used here. */
function bodyOf(request: HttpRequest): string | Buffer | URLSearchParams | undefined {
  const { body } = request;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof URLSearchParams) return body;
  throw new TypeError('a streamed or multipart Salesforce request body is not supported');
}

/**
 * jsforce's transport with its request function replaced, the narrowest hook jsforce has: its own
 * (node-fetch) takes no agent, so it could not be made to connect through the outbound guard; it also
 * retries GETs five times on 429 and 5xx (15 s in all), follows redirects with the Authorization header
 * to whatever host they name, and waits 30 minutes. Here each request is one Node fetch through the
 * guard, with our deadline, no retry (the stage runner retries with its own backoff and dead-letters)
 * and no redirect followed (a 3xx is the answer). jsforce's own stream handling reads the answer.
 */
export class GuardedTransport extends Transport {
  constructor(
    private readonly timeoutMs: number,
    private readonly outbound: OutboundGuard,
  ) {
    super();
  }

  override getRequestStreamCreator(): (request: HttpRequest, options: HttpRequestOptions) => Duplex {
    return (request, options) => {
      const { output, stream } = createHttpRequestHandlerStreams(request, options);
      void this.send(request, output, stream);
      return stream;
    };
  }

  private async send(request: HttpRequest, output: PassThrough, stream: Duplex): Promise<void> {
    try {
      const body = bodyOf(request);
      // fetch frames the body itself and refuses a length set beside it (jsforce sets one).
      const headers = Object.fromEntries(
        Object.entries(request.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-length'),
      );
      const response = await this.outbound.fetch(request.url, {
        method: request.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const answer = Buffer.from(await response.arrayBuffer());
      const answerHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        answerHeaders[name.toLowerCase()] = value;
      });
      stream.emit('response', { statusCode: response.status, headers: answerHeaders });
      output.end(answer);
    } catch (error) {
      stream.emit('error', error);
    }
  }
}
