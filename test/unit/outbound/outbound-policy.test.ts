import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/config/settings.js';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import { OutboundPolicy } from '../../../src/outbound/outbound-policy.js';

describe('OutboundPolicy.urlRefusal, by default', () => {
  const policy = OutboundPolicy.strict;

  it('accepts https to a public host', () => {
    expect(policy.urlRefusal('https://api.hubapi.com')).toBeUndefined();
    expect(policy.urlRefusal('https://acme.my.salesforce.com/services')).toBeUndefined();
    expect(policy.urlRefusal('https://8.8.8.8:8443/v1')).toBeUndefined();
  });

  it('refuses the metadata address, loopback, private and unique-local addresses, and localhost', () => {
    expect(policy.urlRefusal('http://169.254.169.254/latest/meta-data')).toMatch(
      /169\.254\.169\.254 is a link-local address/,
    );
    expect(policy.urlRefusal('https://127.0.0.1:8089')).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(policy.urlRefusal('https://[::1]:8089')).toMatch(/::1 is a loopback address/);
    expect(policy.urlRefusal('https://[::ffff:127.0.0.1]/')).toMatch(/loopback/);
    expect(policy.urlRefusal('https://10.0.0.7')).toMatch(/private/);
    expect(policy.urlRefusal('https://[fd12::1]')).toMatch(/unique-local/);
    expect(policy.urlRefusal('https://localhost:3000')).toMatch(/localhost is a loopback address/);
    expect(policy.urlRefusal('https://crm.localhost')).toMatch(/loopback/);
  });

  it('sees through the other spellings of an address that URLs allow', () => {
    expect(policy.urlRefusal('http://2130706433/')).toMatch(/^127\.0\.0\.1 is a loopback address/);
    expect(policy.urlRefusal('https://0x7f.1/')).toMatch(/^127\.0\.0\.1 is a loopback address/);
    expect(policy.urlRefusal('https://[0:0:0:0:0:0:0:1]/')).toMatch(/^::1 is a loopback address/);
    expect(policy.urlRefusal('https://[::ffff:a9fe:a9fe]/')).toMatch(/link-local/);
    expect(policy.urlRefusal('HTTPS://169.254.169.254./')).toMatch(/link-local/);
    expect(policy.urlRefusal('https://LOCALHOST./')).toMatch(/loopback/);
    expect(policy.urlRefusal('https://0/')).toMatch(/^0\.0\.0\.0 is an unspecified address/);
  });

  it('refuses plain http to a public host, and every other scheme', () => {
    expect(policy.urlRefusal('http://crm.example.com')).toMatch(/http is refused: use https/);
    expect(policy.urlRefusal('file:///etc/passwd')).toMatch(/the file scheme is refused/);
    expect(policy.urlRefusal('gopher://127.0.0.1:6379/_INFO')).toMatch(/the gopher scheme is refused/);
  });

  it('never quotes the URL, whose query or user part may hold a credential', () => {
    const refusal = policy.urlRefusal('http://user:pa55word@10.0.0.7/x?api_key=s3cret');
    expect(refusal).toBeDefined();
    expect(refusal).not.toMatch(/pa55word|s3cret|user/);
  });
});

describe('OUTBOUND_ALLOWED_HOSTS', () => {
  it('allows a host by name, by name and port, by address, by address and port, or by range, over http too', () => {
    expect(OutboundPolicy.parse('crm.internal').urlRefusal('http://crm.internal:8080/api')).toBeUndefined();
    expect(OutboundPolicy.parse('crm.internal:8443').urlRefusal('https://crm.internal:8443')).toBeUndefined();
    expect(OutboundPolicy.parse('127.0.0.1').urlRefusal('http://127.0.0.1:4000')).toBeUndefined();
    expect(OutboundPolicy.parse('127.0.0.1:8089').urlRefusal('http://127.0.0.1:8089')).toBeUndefined();
    expect(OutboundPolicy.parse('10.20.0.0/16').urlRefusal('https://10.20.3.4')).toBeUndefined();
    expect(OutboundPolicy.parse('[::1]:8089').urlRefusal('http://[::1]:8089')).toBeUndefined();
    expect(OutboundPolicy.parse('fd00::/8').urlRefusal('https://[fd00::5]')).toBeUndefined();
    expect(OutboundPolicy.parse('CRM.Internal.').urlRefusal('https://crm.internal')).toBeUndefined();
  });

  it('allows only what it names: another port, another host or another range stays refused', () => {
    const policy = OutboundPolicy.parse(' 127.0.0.1:8089 , crm.internal:8443, 10.20.0.0/16 ');
    expect(policy.urlRefusal('http://127.0.0.1:8090')).toMatch(/loopback/);
    expect(policy.urlRefusal('http://169.254.169.254')).toMatch(/link-local/);
    expect(policy.urlRefusal('https://crm.internal')).toBeUndefined();
    expect(policy.urlRefusal('http://crm.internal')).toMatch(/http is refused/);
    expect(policy.urlRefusal('https://10.21.0.1')).toMatch(/private/);
    expect(policy.urlRefusal('file:///etc/passwd')).toMatch(/file scheme/);
  });

  it('is refused as a whole when an entry is none of the accepted forms', () => {
    expect(() => OutboundPolicy.parse('127.0.0.1:99999, http://crm, 10.0.0.0/40')).toThrow(LeadstreamError);
    expect(() => OutboundPolicy.parse('127.0.0.1:99999, http://crm, 10.0.0.0/40')).toThrow(
      'OUTBOUND_ALLOWED_HOSTS: not a host name, host:port, IP address or CIDR range: 127.0.0.1:99999, http://crm, 10.0.0.0/40',
    );
    expect(OutboundPolicy.parse('').allowedHosts).toEqual([]);
  });
});

describe('OutboundPolicy.addressRefusal, on the address a connection goes to', () => {
  it('refuses a name that resolves to a refused address, unless the name or the address is allowed', () => {
    expect(OutboundPolicy.strict.addressRefusal('crm.example.com', '10.0.0.5', 443)).toBe(
      'crm.example.com resolves to 10.0.0.5, a private address, refused, unless OUTBOUND_ALLOWED_HOSTS allows it',
    );
    expect(OutboundPolicy.strict.addressRefusal('crm.example.com', '::ffff:169.254.169.254', 80)).toMatch(
      /link-local/,
    );
    expect(OutboundPolicy.strict.addressRefusal('crm.example.com', '93.184.215.14', 443)).toBeUndefined();
    expect(OutboundPolicy.parse('crm.example.com').addressRefusal('crm.example.com', '10.0.0.5', 443)).toBe(
      undefined,
    );
    expect(OutboundPolicy.parse('10.0.0.0/24').addressRefusal('crm.example.com', '10.0.0.5', 443)).toBe(
      undefined,
    );
    expect(OutboundPolicy.parse('127.0.0.1:8089').addressRefusal('localhost', '127.0.0.1', 8090)).toMatch(
      /loopback/,
    );
  });
});

describe('the OUTBOUND_ALLOWED_HOSTS setting', () => {
  it('is empty by default, which allows nothing beyond the policy', () => {
    expect(loadSettings({}).OUTBOUND_ALLOWED_HOSTS.urlRefusal('http://127.0.0.1:8089')).toMatch(/loopback/);
    expect(
      loadSettings({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1:8089' }).OUTBOUND_ALLOWED_HOSTS.allowedHosts,
    ).toEqual(['127.0.0.1:8089']);
  });

  it('stops the process when an entry is none of the accepted forms, naming the variable and the entry', () => {
    expect(() => loadSettings({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1, https://crm.internal' })).toThrow(
      'OUTBOUND_ALLOWED_HOSTS: not a host name, host:port, IP address or CIDR range: https://crm.internal',
    );
  });
});
