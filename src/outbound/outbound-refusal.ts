import { LeadstreamError } from '../errors/leadstream-error.js';

/**
 * The code a refused connection carries. node-fetch (HubSpot's and jsforce's SDKs) keeps only the code
 * and message of a socket error in its own FetchError, so the code is how the refusal is told from a
 * network failure after it.
 */
const REFUSED_CODE = 'ERR_OUTBOUND_URL_REFUSED';

/** A connection the outbound policy refused: permanent, so the command dead-letters instead of retrying. */
export class OutboundRefusal extends LeadstreamError {
  readonly code = REFUSED_CODE;

  constructor(reason: string, host: string) {
    super('outbound_url_refused', `outbound policy: ${reason}`, { details: { host } });
  }
}

/**
 * The refusal inside whatever a client threw (fetch's TypeError, an AxiosError, node-fetch's FetchError),
 * looked for along the cause chain, or undefined when the failure was something else.
 */
export function outboundRefusalIn(error: unknown): LeadstreamError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth += 1) {
    if (current instanceof LeadstreamError && current.type === 'outbound_url_refused') return current;
    if ((current as { code?: unknown }).code === REFUSED_CODE) {
      // node-fetch says "request to <url> failed, reason: <our message>": the URL is left out.
      const reason = /reason: (outbound policy: .*)$/s.exec(current.message)?.[1];
      const message = current.message.startsWith('outbound policy: ') ? current.message : reason;
      // No cause: the client's error quotes the URL, which may hold a credential in its query.
      return new LeadstreamError(
        'outbound_url_refused',
        message ?? 'outbound policy: the address is refused',
      );
    }
    current = current.cause;
  }
  return undefined;
}
