import { isIP } from 'node:net';
import { z } from 'zod';
import { LeadstreamError } from '../errors/leadstream-error.js';
import { type RefusedRange, refusedRangeOf } from './address-ranges.js';
import { type AllowedHost, isAllowed, normalHostName, parseAllowedHosts } from './allowed-hosts.js';

/** The deployment setting that names the hosts and ranges tenant URLs may reach despite the policy. */
const ALLOWED_HOSTS_SETTING = 'OUTBOUND_ALLOWED_HOSTS';

/** A host name that is loopback by definition (RFC 6761), whatever a resolver says. */
function isLoopbackName(host: string): boolean {
  const name = normalHostName(host);
  return name === 'localhost' || name.endsWith('.localhost');
}

/** The host as a socket is given it: [::1] becomes ::1. */
function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

function defaultPort(protocol: string): number {
  return protocol === 'http:' ? 80 : 443;
}

/** "a loopback address", "an unspecified address". */
function described(range: RefusedRange): string {
  return `${range === 'unspecified' ? 'an' : 'a'} ${range} address`;
}

const NOT_AN_ENTRY = 'not a host name, host:port, IP address or CIDR range';

const HINT = `, unless ${ALLOWED_HOSTS_SETTING} allows it`;

/**
 * Where a tenant-controlled URL may point: https to a public address. Loopback, link-local (the cloud
 * metadata address), private, carrier-grade NAT, unique-local, multicast and reserved addresses are
 * refused, and so is plain http, unless the deployment allows the host by name or address
 * (OUTBOUND_ALLOWED_HOSTS), as it must for an on-premises CRM or a local emulator. Other schemes are
 * always refused. Refusal messages name the host, never the URL with its credentials or query.
 */
export class OutboundPolicy {
  /** Nothing allowed beyond the default: the policy of a deployment that sets nothing. */
  static readonly strict = new OutboundPolicy([]);

  private constructor(private readonly allowed: readonly AllowedHost[]) {}

  /** The setting's comma-separated entries (see AllowedHost); an entry of no accepted form is a config_error. */
  static parse(setting: string): OutboundPolicy {
    const { allowed, invalid } = parseAllowedHosts(setting);
    if (invalid.length > 0) {
      throw new LeadstreamError(
        'config_error',
        `${ALLOWED_HOSTS_SETTING}: ${NOT_AN_ENTRY}: ${invalid.join(', ')}`,
      );
    }
    return new OutboundPolicy(allowed);
  }

  /** The setting's entries as written, for logs. */
  get allowedHosts(): string[] {
    return this.allowed.map((entry) => entry.text);
  }

  /** The setting as it would be written: its entries, comma-separated. */
  toString(): string {
    return this.allowedHosts.join(',');
  }

  /**
   * Why a configured URL may not be called, or undefined when it may. A host name other than localhost
   * is not resolved here: what it resolves to is checked when the connection is opened.
   */
  urlRefusal(url: string): string | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'not a URL';
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      return `the ${parsed.protocol.replace(/:$/, '')} scheme is refused: only https is called`;
    }
    const host = bareHost(parsed.hostname);
    const port = parsed.port === '' ? defaultPort(parsed.protocol) : Number(parsed.port);
    if (this.allows(host, undefined, port)) return undefined;
    const range = isIP(host) !== 0 ? refusedRangeOf(host) : isLoopbackName(host) ? 'loopback' : undefined;
    if (range !== undefined) return `${host} is ${described(range)}, refused${HINT}`;
    if (parsed.protocol === 'http:') return `http is refused: use https${HINT}`;
    return undefined;
  }

  /**
   * Why a connection to `address`, which `host` resolved to (the same when the URL names an address), may
   * not be opened, or undefined when it may.
   */
  addressRefusal(host: string, address: string, port: number): string | undefined {
    const bare = bareHost(host);
    if (this.allows(bare, address, port)) return undefined;
    const range = refusedRangeOf(address);
    if (range === undefined) return undefined;
    return bare === address
      ? `${bare} is ${described(range)}, refused${HINT}`
      : `${bare} resolves to ${address}, ${described(range)}, refused${HINT}`;
  }

  private allows(host: string, address: string | undefined, port: number): boolean {
    return this.allowed.some((entry) => isAllowed(entry, { host, address, port }));
  }
}

/** OUTBOUND_ALLOWED_HOSTS as a process setting (empty by default): the policy it makes. */
export const outboundAllowedHostsSetting = z
  .string()
  .default('')
  .transform((setting, ctx) => {
    const { invalid } = parseAllowedHosts(setting);
    if (invalid.length === 0) return OutboundPolicy.parse(setting);
    ctx.addIssue({ code: 'custom', message: `${NOT_AN_ENTRY}: ${invalid.join(', ')}` });
    return z.NEVER;
  });
