import { lookup } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OutboundGuard, type Resolve } from '../../../src/outbound/outbound-guard.js';
import { OutboundPolicy } from '../../../src/outbound/outbound-policy.js';
import { outboundRefusalIn } from '../../../src/outbound/outbound-refusal.js';

/** A server on 127.0.0.1 that counts what reaches it. */
async function countingServer(): Promise<{
  port: number;
  requests: () => number;
  close: () => Promise<void>;
}> {
  let requests = 0;
  const server = http.createServer((_request, response) => {
    requests += 1;
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** crm.example.test resolves to 127.0.0.1, as a hostile or rebinding DNS answer would make it. */
const toLoopback: Resolve = (hostname, options, callback) =>
  hostname === 'crm.example.test'
    ? lookup('127.0.0.1', options, callback)
    : lookup(hostname, options, callback);

const guards: OutboundGuard[] = [];
function guard(policy: OutboundPolicy): OutboundGuard {
  const made = new OutboundGuard(policy, toLoopback);
  guards.push(made);
  return made;
}
afterEach(async () => {
  await Promise.all(guards.splice(0).map((made) => made.close()));
});

async function refusalOf(request: Promise<unknown>): Promise<string | undefined> {
  try {
    await request;
  } catch (error) {
    return outboundRefusalIn(error)?.message;
  }
  return undefined;
}

describe('OutboundGuard', () => {
  it("refuses Node's fetch to a name that resolves to loopback, before anything is sent", async () => {
    const server = await countingServer();
    const url = `http://crm.example.test:${server.port}/contacts`;
    const refusal = await refusalOf(guard(OutboundPolicy.strict).fetch(url));
    expect(refusal).toBe(
      'outbound policy: crm.example.test resolves to 127.0.0.1, a loopback address, refused, unless OUTBOUND_ALLOWED_HOSTS allows it',
    );
    const allowed = guard(OutboundPolicy.parse(`crm.example.test:${server.port}`));
    expect((await allowed.fetch(url)).status).toBe(200);
    expect(server.requests()).toBe(1);
    await server.close();
  });

  it('refuses the cloud metadata address, named or literal, without opening a connection', async () => {
    const toMetadata: Resolve = (_hostname, options, callback) =>
      lookup('169.254.169.254', options, callback);
    const named = new OutboundGuard(OutboundPolicy.strict, toMetadata);
    guards.push(named);
    expect(await refusalOf(named.fetch('http://metadata.example.test/computeMetadata/v1/'))).toMatch(
      /metadata\.example\.test resolves to 169\.254\.169\.254, a link-local address/,
    );
    expect(
      await refusalOf(guard(OutboundPolicy.strict).fetch('http://169.254.169.254/latest/meta-data/')),
    ).toMatch(/^outbound policy: 169\.254\.169\.254 is a link-local address/);
    expect(
      await refusalOf(guard(OutboundPolicy.strict).fetch('http://[fd00:ec2::254]/latest/meta-data/')),
    ).toMatch(/fd00:ec2::254 is a unique-local address/);
  });

  it('refuses an http.Agent connection to a literal loopback address, which Node connects without a lookup', async () => {
    const server = await countingServer();
    const get = (agent: http.Agent) =>
      new Promise<number>((resolve, reject) => {
        http
          .get(`http://127.0.0.1:${server.port}/`, { agent }, (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          })
          .on('error', reject);
      });
    expect(await refusalOf(get(guard(OutboundPolicy.strict).httpAgent))).toMatch(
      /127\.0\.0\.1 is a loopback address/,
    );
    expect(await refusalOf(get(guard(OutboundPolicy.parse('127.0.0.1/8')).httpAgent))).toBeUndefined();
    expect(server.requests()).toBe(1);
    await server.close();
  });
});
