import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { OutboundGuard } from '../../outbound/outbound-guard.js';
import { outboundRefusalIn } from '../../outbound/outbound-refusal.js';
import { classifyResponse, classifyTransportFailure } from './error-classification.js';

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** A 2xx answer: its status, headers and body text (often JSON, sometimes empty). */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export interface ExchangeOptions {
  /** Names the request in errors and logs: `create_contact (POST /contacts)`, never the URL with its query. */
  label: string;
  timeoutMs: number;
  /** The tenant's URLs connect through it: a refused address fails before anything is sent. */
  outbound: OutboundGuard;
  /** Cuts credential values out of any text quoted in an error. */
  redact: (text: string) => string;
  now: () => Date;
}

/**
 * One HTTP request with Node's fetch and a deadline; anything but a 2xx becomes a classified
 * LeadstreamError. Redirects are not followed: they would carry the credential to another address.
 */
export async function exchange(request: HttpRequest, options: ExchangeOptions): Promise<HttpAnswer> {
  let prepared: Request;
  try {
    prepared = new Request(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch {
    // The platform's message quotes the offending header value, which may hold the credential.
    throw new LeadstreamError(
      'validation_error',
      `${options.label} could not be sent: a header value holds characters HTTP forbids`,
      { details: { request: options.label } },
    );
  }
  let response: Response;
  let text: string;
  try {
    response = await options.outbound.fetch(prepared);
    text = await response.text();
  } catch (error) {
    throw (
      outboundRefusalIn(error) ??
      classifyTransportFailure(error, options.label, options.timeoutMs, options.redact)
    );
  }
  if (response.status < 200 || response.status > 299) {
    throw classifyResponse(
      { status: response.status, headers: response.headers, text },
      options.label,
      options.redact,
      options.now(),
    );
  }
  return { status: response.status, headers: response.headers, text };
}
