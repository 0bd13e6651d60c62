import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Why an address is not one a tenant's CRM may be reached at: it is inside the deployment, not on the internet. */
export type RefusedRange =
  | 'unspecified'
  | 'loopback'
  | 'link-local'
  | 'private'
  | 'shared'
  | 'unique-local'
  | 'multicast'
  | 'reserved';

/**
 * Checked in order, so the more telling name wins (::1 is loopback before it is in ::/96). Link-local
 * holds the cloud metadata address (169.254.169.254, fd00:ec2::254 is unique-local); shared is carrier-grade
 * NAT (100.64/10), where Alibaba's metadata answers; reserved is what no public server uses (documentation,
 * benchmarking, 240/4, IPv4-compatible IPv6).
 */
const RANGES: ReadonlyArray<readonly [RefusedRange, string, number, 'ipv4' | 'ipv6']> = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['shared', '100.64.0.0', 10, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['reserved', '192.0.2.0', 24, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'],
  ['reserved', '198.51.100.0', 24, 'ipv4'],
  ['reserved', '203.0.113.0', 24, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['unique-local', 'fc00::', 7, 'ipv6'],
  ['private', 'fec0::', 10, 'ipv6'],
  ['multicast', 'ff00::', 8, 'ipv6'],
  ['reserved', '::', 96, 'ipv6'],
  ['reserved', '100::', 64, 'ipv6'],
  ['reserved', '2001:db8::', 32, 'ipv6'],
];

const LISTS: ReadonlyArray<readonly [RefusedRange, BlockList]> = RANGES.map(
  ([range, network, prefix, family]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, family);
    return [range, list] as const;
  },
);

/** An IPv6 address as its eight 16-bit groups (zone id dropped, an embedded dotted quad read), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  const text = address.replace(/%.*$/, '');
  if (!isIPv6(text)) return undefined;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  const hex = dotted
    ? text.slice(0, dotted.index) +
      [(Number(dotted[1]) << 8) | Number(dotted[2]), (Number(dotted[3]) << 8) | Number(dotted[4])]
        .map((group) => group.toString(16))
        .join(':')
    : text;
  const [head = '', tail] = hex.split('::');
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const first = parse(head);
  const last = tail === undefined ? [] : parse(tail);
  return [...first, ...new Array<number>(8 - first.length - last.length).fill(0), ...last];
}

/**
 * The IPv4 address an IPv6 one carries to the same host: IPv4-mapped (::ffff:127.0.0.1, also written
 * ::ffff:7f00:1) and NAT64 (64:ff9b::/96), which a socket reaches as that IPv4 address. Others unchanged.
 */
export function unwrapped(address: string): string {
  const groups = ipv6Groups(address);
  if (groups === undefined) return address;
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  const nat64 =
    groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0);
  if (!mapped && !nat64) return address;
  const [high = 0, low = 0] = groups.slice(6);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The refused range an IP address is in, or undefined for a public address (and for anything not an IP). */
export function refusedRangeOf(address: string): RefusedRange | undefined {
  const plain = unwrapped(address).replace(/%.*$/, '');
  const family = isIPv4(plain) ? 'ipv4' : isIPv6(plain) ? 'ipv6' : undefined;
  if (family === undefined) return undefined;
  return LISTS.find(([, list]) => list.check(plain, family))?.[0];
}
