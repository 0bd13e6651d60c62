import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { completeStructuredChat } from '../../../src/analysis/llm/chat-completions-client.js';
import { CallRailTranscripts } from '../../../src/analysis/transcripts/callrail-transcripts.js';
import { tenantConfigSchema } from '../../../src/config/tenants/tenant-config.js';
import { OutboundGuard } from '../../../src/outbound/outbound-guard.js';
import { OutboundPolicy } from '../../../src/outbound/outbound-policy.js';
import { EnvSecretResolver } from '../../../src/secrets/env-secret-resolver.js';
import { startCallRailApi } from '../../emulators/callrail/calls-api.js';
import { failureOf } from '../../support/failure-of.js';
import { callFrom } from '../analysis/labelled-cases.js';

const guards: OutboundGuard[] = [];
function guard(policy: OutboundPolicy): OutboundGuard {
  const made = new OutboundGuard(policy);
  guards.push(made);
  return made;
}
afterEach(async () => {
  await Promise.all(guards.splice(0).map((made) => made.close()));
});

const onLocalhost = (url: string) => url.replace('127.0.0.1', 'localhost');
const LOCALHOST_REFUSED = /^outbound policy: localhost resolves to (127\.0\.0\.1|::1), a loopback address/;

describe('the enricher’s outbound requests', () => {
  it("CallRail's API: a base URL on a loopback address is refused before the key is sent", async () => {
    const api = await startCallRailApi({
      accountId: 'ACC1',
      apiKey: 'callrail-key-7d2f',
      calls: [
        {
          id: 'CAL1',
          answered: true,
          duration: 60,
          customer_phone_number: '+15125550143',
          start_time: '2026-11-25T10:02:11.000-06:00',
          transcription: 'Caller: I need a new kitchen.',
        },
      ],
    });
    try {
      const tenant = tenantConfigSchema.parse({
        tenant_id: 't',
        callrail: {
          signing_secret: 's',
          account_id: 'ACC1',
          api_key: 'callrail-key-7d2f',
          api_base_url: onLocalhost(api.baseUrl),
        },
        crm_config: { type: 'hubspot', api_token: 'x' },
      });
      const call = callFrom({ id: 'CAL1', duration_seconds: 60, start_time: '2026-11-25T16:02:11Z' });
      const source = (outbound: OutboundGuard) =>
        new CallRailTranscripts(new EnvSecretResolver({}), { outbound, timeoutMs: 2_000 });

      const error = await failureOf(source(guard(OutboundPolicy.strict)).transcriptOf(call, tenant));
      expect(error.type).toBe('outbound_url_refused');
      expect(error.message).toMatch(LOCALHOST_REFUSED);
      expect(api.requests).toHaveLength(0);

      const allowed = source(guard(OutboundPolicy.parse('localhost')));
      expect(await allowed.transcriptOf(call, tenant)).toBe('Caller: I need a new kitchen.');
      expect(api.requests).toHaveLength(1);
    } finally {
      await api.close();
    }
  });

  it('the LLM endpoint: a base URL on a loopback address is refused before the transcript is sent', async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests += 1;
      response.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://localhost:${(server.address() as AddressInfo).port}/v1`;
      const request = { model: 'm', messages: [], schemaName: 's', schema: {} };
      const endpoint = { baseUrl, apiKey: undefined, timeoutMs: 2_000 };
      const error = await failureOf(
        completeStructuredChat({ ...endpoint, outbound: guard(OutboundPolicy.strict) }, request),
      );
      expect(error.type).toBe('outbound_url_refused');
      expect(error.message).toMatch(LOCALHOST_REFUSED);
      expect(requests).toBe(0);

      const allowed = { ...endpoint, outbound: guard(OutboundPolicy.parse('localhost')) };
      expect((await failureOf(completeStructuredChat(allowed, request))).message).toMatch(/500/);
      expect(requests).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
