import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import type { OutboundPolicy } from './outbound-policy.js';
import { OutboundRefusal } from './outbound-refusal.js';

/** Resolves a host name the way dns.lookup does; replaceable so that a test can make a name resolve anywhere. */
export type Resolve = (
  hostname: string,
  options: LookupOptions,
  callback: Parameters<LookupFunction>[2],
) => void;

function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * The outbound policy applied where it cannot be raced: on the address a socket is about to connect to,
 * after resolution, so that a name resolving (or re-resolving, DNS rebinding) to a refused address is
 * refused too. Each HTTP client a tenant URL reaches goes through one: `fetch` (Node's, with the checking
 * dispatcher), `httpAgent`/`httpsAgent` for node-fetch and axios. A refused connection fails with an
 * OutboundRefusal before anything is sent.
 */
export class OutboundGuard {
  private readonly dispatcher: Dispatcher;
  readonly httpAgent: http.Agent;
  readonly httpsAgent: https.Agent;

  constructor(
    private readonly policy: OutboundPolicy,
    private readonly resolve: Resolve = dnsLookup,
  ) {
    this.dispatcher = new Agent({ connect: (options, callback) => this.connect(options, callback) });
    const guard = this;
    this.httpAgent = new (class extends http.Agent {
      override createConnection(options: http.ClientRequestArgs, callback?: Connected) {
        return guard.createConnection(options, callback, (checked, done) =>
          super.createConnection(checked, done),
        );
      }
    })({ keepAlive: true });
    this.httpsAgent = new (class extends https.Agent {
      override createConnection(options: https.RequestOptions, callback?: Connected) {
        return guard.createConnection(options, callback, (checked, done) =>
          super.createConnection(checked, done),
        );
      }
    })({ keepAlive: true });
  }

  /**
   * Node's fetch, connecting through the guard. A redirect is never followed, whatever the caller asked:
   * the 3xx is the answer, as it would otherwise carry the credential to an address nobody checked.
   */
  fetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
    // The same Dispatcher interface, declared by undici and by the undici-types Node's own types bundle.
    const dispatcher = this.dispatcher as unknown as RequestInit['dispatcher'];
    return fetch(input, { ...init, redirect: 'manual', dispatcher });
  }

  /**
   * Refuses a URL known only at run time (resolved from a secret) that `tenants validate` could not
   * check: its scheme and host as the policy says, before anything is sent.
   */
  checkUrl(url: string): void {
    const reason = this.policy.urlRefusal(url);
    if (reason !== undefined)
      throw new OutboundRefusal(reason, URL.canParse(url) ? new URL(url).hostname : '');
  }

  /** Closes the pooled connections (tests; a process keeps its guard for its lifetime). */
  async close(): Promise<void> {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    await this.dispatcher.close();
  }

  /** The agent of the URL's scheme, for a client that takes one agent (HubSpot's SDK). */
  agentFor(url: string): http.Agent {
    return new URL(url).protocol === 'http:' ? this.httpAgent : this.httpsAgent;
  }

  /** Why connecting to this literal address is refused, or undefined (a name is checked once resolved). */
  private literalRefusal(host: string, port: number): OutboundRefusal | undefined {
    if (isIP(host) === 0) return undefined;
    const reason = this.policy.addressRefusal(host, host, port);
    return reason === undefined ? undefined : new OutboundRefusal(reason, host);
  }

  /** dns.lookup for one host and port, answering a refusal instead of a refused address. */
  private lookupFor(host: string, port: number): LookupFunction {
    return (hostname, options, callback) => {
      this.resolve(hostname, options, (error, address, family) => {
        if (error) return callback(error, address, family);
        const addresses: LookupAddress[] = Array.isArray(address)
          ? address
          : [{ address, family: family ?? isIP(address) }];
        for (const { address: resolved } of addresses) {
          const reason = this.policy.addressRefusal(host, resolved, port);
          if (reason !== undefined) return callback(new OutboundRefusal(reason, host), '', 0);
        }
        callback(null, address, family);
      });
    };
  }

  private connect(options: buildConnector.Options, callback: buildConnector.Callback): void {
    const host = bareHost(options.hostname);
    const port = options.port === '' ? (options.protocol === 'http:' ? 80 : 443) : Number(options.port);
    const refused = this.literalRefusal(host, port);
    if (refused) callback(refused, null);
    else buildConnector({ lookup: this.lookupFor(host, port) })(options, callback);
  }

  /** Node connects to a literal address without calling lookup, so the address is checked here first. */
  private createConnection(
    options: http.ClientRequestArgs,
    callback: Connected | undefined,
    connect: (checked: http.ClientRequestArgs, done?: Connected) => Duplex | null | undefined,
  ): Duplex | null | undefined {
    const host = bareHost(options.hostname ?? options.host ?? 'localhost');
    const port = Number(options.port ?? options.defaultPort ?? 0);
    const refused = this.literalRefusal(host, port);
    if (refused) {
      // Node's Agent hands the error on and never reads the socket of a failed connection.
      callback?.(refused, undefined as unknown as Duplex);
      return undefined;
    }
    return connect({ ...options, lookup: this.lookupFor(host, port) }, callback);
  }
}

/** How an Agent is told its connection is made, or why not. */
type Connected = (error: Error | null, stream: Duplex) => void;
