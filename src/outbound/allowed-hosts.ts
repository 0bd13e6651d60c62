import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { unwrapped } from './address-ranges.js';

/** One entry of OUTBOUND_ALLOWED_HOSTS: a host name, or an address or range, on any port unless one is named. */
export type AllowedHost =
  | { kind: 'name'; name: string; port: number | undefined; text: string }
  | { kind: 'addresses'; addresses: BlockList; port: number | undefined; text: string };

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$/;

/** A host name as compared: lower case, without the trailing dot of a fully qualified name. */
export function normalHostName(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

function portOf(text: string | undefined): number | undefined | 'invalid' {
  if (text === undefined) return undefined;
  const port = Number(text);
  return /^\d{1,5}$/.test(text) && port > 0 && port <= 65535 ? port : 'invalid';
}

function addressList(address: string, prefix: number | undefined): BlockList | undefined {
  const plain = unwrapped(address);
  const family = isIPv4(plain) ? 'ipv4' : isIPv6(plain) ? 'ipv6' : undefined;
  if (family === undefined) return undefined;
  const list = new BlockList();
  if (prefix === undefined) list.addAddress(plain, family);
  else if (prefix <= (family === 'ipv4' ? 32 : 128)) list.addSubnet(plain, prefix, family);
  else return undefined;
  return list;
}

/**
 * One entry: `crm.internal.example`, `crm.internal.example:8443`, `10.20.0.7`, `127.0.0.1:8089`, `::1`,
 * `[::1]:8089`, `10.20.0.0/16` or `fd00::/8`. Undefined when it is none of these.
 */
function parseEntry(text: string): AllowedHost | undefined {
  const cidr = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (cidr?.[1] !== undefined && cidr[2] !== undefined) {
    const addresses = addressList(cidr[1], Number(cidr[2]));
    return addresses && { kind: 'addresses', addresses, port: undefined, text };
  }
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const [host, portText] = bracketed
    ? [bracketed[1] ?? '', bracketed[2]]
    : isIPv6(text)
      ? [text, undefined]
      : (text.split(/:(?=[^:]*$)/) as [string, string?]);
  const port = portOf(portText);
  if (port === 'invalid') return undefined;
  const addresses = addressList(host, undefined);
  if (addresses) return { kind: 'addresses', addresses, port, text };
  if (bracketed) return undefined;
  const name = normalHostName(host);
  return HOST_NAME.test(name) ? { kind: 'name', name, port, text } : undefined;
}

/** The comma-separated setting, every entry parsed; the entries that are none of the accepted forms, named. */
export function parseAllowedHosts(setting: string): { allowed: AllowedHost[]; invalid: string[] } {
  const allowed: AllowedHost[] = [];
  const invalid: string[] = [];
  for (const entry of setting.split(',').map((item) => item.trim())) {
    if (entry === '') continue;
    const parsed = parseEntry(entry);
    if (parsed) allowed.push(parsed);
    else invalid.push(entry);
  }
  return { allowed, invalid };
}

/** Whether an entry lets the host (as a URL names it) or the address it is reached at be called on this port. */
export function isAllowed(
  entry: AllowedHost,
  target: { host: string; address: string | undefined; port: number },
): boolean {
  if (entry.port !== undefined && entry.port !== target.port) return false;
  if (entry.kind === 'name') return entry.name === normalHostName(target.host);
  const address = unwrapped(target.address ?? target.host).replace(/%.*$/, '');
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  return family !== undefined && entry.addresses.check(address, family);
}
