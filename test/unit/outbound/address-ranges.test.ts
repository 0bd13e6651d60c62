import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refusedRangeOf, unwrapped } from '../../../src/outbound/address-ranges.js';

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet);
const dotted = ([a, b, c, d]: readonly number[]) => `${a}.${b}.${c}.${d}`;
const hex = (high: number, low: number) => ((high << 8) | low).toString(16);

/** The ranges written out by hand from the RFCs, as the classifier's independent reference. */
function referenceRange([a, b]: readonly number[]): string | undefined {
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 10 || (a === 172 && b !== undefined && b >= 16 && b <= 31) || (a === 192 && b === 168))
    return 'private';
  if (a === 100 && b !== undefined && b >= 64 && b <= 127) return 'shared';
  if (a !== undefined && a >= 224 && a <= 239) return 'multicast';
  if (a !== undefined && a >= 240) return 'reserved';
  return undefined;
}

describe('refusedRangeOf', () => {
  it('names the range of the addresses a tenant URL must not reach', () => {
    expect(refusedRangeOf('169.254.169.254')).toBe('link-local');
    expect(refusedRangeOf('127.0.0.1')).toBe('loopback');
    expect(refusedRangeOf('127.255.0.9')).toBe('loopback');
    expect(refusedRangeOf('0.0.0.0')).toBe('unspecified');
    expect(refusedRangeOf('10.1.2.3')).toBe('private');
    expect(refusedRangeOf('172.31.255.255')).toBe('private');
    expect(refusedRangeOf('192.168.0.10')).toBe('private');
    expect(refusedRangeOf('100.100.100.200')).toBe('shared');
    expect(refusedRangeOf('::1')).toBe('loopback');
    expect(refusedRangeOf('::')).toBe('unspecified');
    expect(refusedRangeOf('fe80::1%eth0')).toBe('link-local');
    expect(refusedRangeOf('fd00:ec2::254')).toBe('unique-local');
    expect(refusedRangeOf('ff02::1')).toBe('multicast');
  });

  it('sees the IPv4 address inside IPv4-mapped and NAT64 IPv6 addresses', () => {
    expect(refusedRangeOf('::ffff:127.0.0.1')).toBe('loopback');
    expect(refusedRangeOf('::ffff:7f00:1')).toBe('loopback');
    expect(refusedRangeOf('64:ff9b::a9fe:a9fe')).toBe('link-local');
    expect(unwrapped('::ffff:a9fe:a9fe')).toBe('169.254.169.254');
  });

  it('leaves public addresses alone', () => {
    expect(refusedRangeOf('8.8.8.8')).toBeUndefined();
    expect(refusedRangeOf('172.32.0.1')).toBeUndefined();
    expect(refusedRangeOf('104.16.0.1')).toBeUndefined();
    expect(refusedRangeOf('2606:4700::1111')).toBeUndefined();
    expect(refusedRangeOf('::ffff:8.8.8.8')).toBeUndefined();
  });

  it('agrees with the RFC ranges for every IPv4 address, however it is written', () => {
    fc.assert(
      fc.property(ipv4, (address) => {
        const expected = referenceRange(address);
        const [a = 0, b = 0, c = 0, d = 0] = address;
        const spellings = [dotted(address), `::ffff:${dotted(address)}`, `::ffff:${hex(a, b)}:${hex(c, d)}`];
        for (const spelling of spellings) {
          const range = refusedRangeOf(spelling);
          // Reserved blocks beyond the reference (documentation, benchmarking) may be refused too.
          if (expected === undefined) expect([undefined, 'reserved']).toContain(range);
          else expect(range).toBe(expected);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses every unique-local and link-local IPv6 address and no global unicast one outside them', () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const [first = 0] = groups;
        const address = groups.map((value) => value.toString(16)).join(':');
        const range = refusedRangeOf(address);
        if ((first & 0xfe00) === 0xfc00) expect(range).toBe('unique-local');
        else if ((first & 0xffc0) === 0xfe80) expect(range).toBe('link-local');
        else if ((first & 0xff00) === 0xff00) expect(range).toBe('multicast');
        else if (first >= 0x2000 && first <= 0x3fff && !address.startsWith('2001:db8:'))
          expect(range).toBeUndefined();
      }),
      { numRuns: 5000 },
    );
  });
});
