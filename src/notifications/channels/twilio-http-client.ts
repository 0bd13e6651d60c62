import twilio from 'twilio';
import { retryAfterMs } from '../../http/retry-after.js';
import type { OutboundGuard } from '../../outbound/outbound-guard.js';

/** The API every request of the SDK is addressed to; replaced by the tenant's api_base_url when set. */
const TWILIO_API = 'https://api.twilio.com';

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];
type ClientResponse = Awaited<ReturnType<InstanceType<typeof twilio.RequestClient>['request']>>;

function formBody(data: object): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) form.append(key, String(item));
  }
  return form.toString();
}

/**
 * The Twilio SDK's supported replacement for its HTTP layer (the `httpClient` option): the SDK still
 * builds every request (paths, parameters, auth) and reads every answer (RestException), while this
 * sends it through the outbound guard, to the configured base URL. The last Retry-After is kept, as
 * the SDK's RestException drops the headers.
 */
export class GuardedTwilioHttpClient extends twilio.RequestClient {
  lastRetryAfterMs: number | undefined;

  constructor(
    private readonly outbound: OutboundGuard,
    private readonly baseUrl: string = TWILIO_API,
  ) {
    super();
  }

  override async request<TData>(opts: RequestOptions): Promise<ClientResponse & { body: TData }> {
    const uri = new URL(opts.uri);
    const target = new URL(`${this.baseUrl.replace(/\/+$/, '')}${uri.pathname}${uri.search}`);
    for (const [key, value] of Object.entries(opts.params ?? {}))
      target.searchParams.append(key, String(value));
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string> | undefined) };
    if (opts.username && opts.password) {
      headers.Authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
    }
    const json = headers['Content-Type'] === 'application/json';
    const response = await this.outbound.fetch(target, {
      method: opts.method.toUpperCase(),
      headers,
      ...(opts.data ? { body: json ? JSON.stringify(opts.data) : formBody(opts.data as object) } : {}),
      signal: AbortSignal.timeout(opts.timeout ?? 15_000),
    });
    const text = await response.text();
    this.lastRetryAfterMs = retryAfterMs(response.headers.get('retry-after'), new Date());
    return {
      statusCode: response.status,
      body: text as TData,
      headers: Object.fromEntries(response.headers),
    } as ClientResponse & { body: TData };
  }
}
