import { describe, expect, it } from 'vitest';
import type { TenantConfig } from '../../../../src/config/tenants/tenant-config.js';
import type { ConfiguredCrmContext } from '../../../../src/crm/crm-adapter.js';
import type { CustomCrmConfig } from '../../../../src/crm/custom/config.js';
import { CustomRestAdapter } from '../../../../src/crm/custom/custom-rest-adapter.js';
import { DeliveredRequests } from '../../../../src/crm/custom/delivered-requests.js';
import { compileMapping } from '../../../../src/mapping/compile-mapping.js';
import { createLogger } from '../../../../src/observability/logger.js';
import type { Clock } from '../../../../src/time/clock.js';
import { failureOf } from '../../../support/failure-of.js';
import { guideCrmConfig } from '../../../support/guide-fixtures.js';
import { captureLogLines } from '../../../support/log-capture.js';
import { MemoryRecordLedger } from '../../../support/memory-record-ledger.js';
import type { CustomCrmServer } from './custom-crm-server.js';
import { commandFor, quiet, secret, serversPerTest, TOKEN, tenant } from './custom-harness.js';

const server = serversPerTest();

const json = { 'Content-Type': 'application/json' };

/** The guide's custom block plus an opportunity that names the contact, and a note posted under it. */
function chainedConfig(
  crm: CustomCrmServer,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: 'custom',
    api_base_url: `${crm.url}/v1`,
    endpoints: {
      create_contact: { method: 'POST', path: '/contacts', headers: json, response_id_path: 'data.id' },
      create_opportunity: {
        method: 'POST',
        path: '/opportunities',
        headers: json,
        response_id_path: 'data.id',
      },
      create_note: { method: 'POST', path: '/contacts/{{contact.id}}/notes', headers: json },
    },
    payload_templates: {
      contact: {
        first_name: '{{customer_name_first}}',
        last_name: '{{customer_name_last}}',
        phone: '{{customer_phone}}',
      },
      opportunity: {
        title: '{{customer_name}} - {{ai_analysis.project_type}}',
        contact_id: '{{contact.id}}',
      },
      note: { text: 'Lead score {{ai_analysis.lead_score}}, contact {{contact.id}}' },
    },
    ...overrides,
  };
}

/** A tenant authenticating with client credentials exchanged at the CRM's /oauth/token. */
function oauth2Tenant(crm: CustomCrmServer, authentication: Record<string, unknown> = {}): TenantConfig {
  return tenant(
    chainedConfig(crm, {
      authentication: {
        type: 'oauth2_client_credentials',
        token_url: `${crm.url}/oauth/token`,
        client_id: secret('crm-client-id'),
        client_secret: secret('crm-client-secret'),
        ...authentication,
      },
    }),
  );
}

function capturedLogs(): {
  text: () => string;
  context: (config: TenantConfig) => ConfiguredCrmContext<CustomCrmConfig>;
} {
  const captured = captureLogLines();
  const logger = createLogger({ level: 'debug', destination: captured.stream });
  return { text: captured.text, context: (config) => ({ ...quiet(config), logger }) };
}

describe('custom REST adapter: authentication', () => {
  it("delivers the guide's custom block, filling {{auth.token}} from the secret at delivery", async () => {
    const crm = await server({ type: 'bearer', token: TOKEN }, 'top');
    const config = tenant({
      ...guideCrmConfig('custom-rest'),
      api_base_url: `${crm.url}/v1`,
      authentication: { type: 'bearer', token: secret('crm-token') },
    });
    const command = commandFor(config);
    expect(JSON.stringify(command)).not.toContain(TOKEN);

    const result = await new CustomRestAdapter().execute(command, quiet(config));

    expect(result.outcomes).toEqual([
      { ref: 'contact', object_type: 'create_contact', id: '1001', action: 'created' },
    ]);
    expect([...crm.contacts.values()]).toEqual([
      expect.objectContaining({
        first_name: 'Jane',
        last_name: 'Doe',
        phone: '+15125550143',
        address: { city: 'Los Angeles', state: 'CA' },
        custom_fields: expect.objectContaining({ ai_score: 92, lead_source: 'phone_call' }),
      }),
    ]);
    expect(crm.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('sends HTTP Basic credentials when the endpoint headers do not name them', async () => {
    const crm = await server({ type: 'basic', username: 'leadstream', password: 'pa55:word-7731' });
    const config = tenant(
      chainedConfig(crm, {
        authentication: { type: 'basic', username: secret('crm-user'), password: secret('crm-password') },
      }),
    );
    await new CustomRestAdapter().execute(commandFor(config), quiet(config));
    expect(crm.contacts.size).toBe(1);
    expect(crm.opportunities.size).toBe(1);
  });

  it('sends an API key in the header it names', async () => {
    const crm = await server({ type: 'api_key', in: 'header', name: 'X-Api-Key', key: 'key-9d8c7b6a5f' });
    const config = tenant(
      chainedConfig(crm, { authentication: { type: 'api_key', key: secret('crm-key'), name: 'X-Api-Key' } }),
    );
    await new CustomRestAdapter().execute(commandFor(config), quiet(config));
    expect(crm.contacts.size).toBe(1);
  });

  it('sends an API key as a query parameter, beside a query the path already has', async () => {
    const crm = await server({ type: 'api_key', in: 'query', name: 'api_key', key: 'key-9d8c7b6a5f' });
    const base = chainedConfig(crm, {
      authentication: { type: 'api_key', key: secret('crm-key'), in: 'query', name: 'api_key' },
    });
    const config = tenant({
      ...base,
      endpoints: {
        create_contact: { method: 'POST', path: '/contacts?source=leadstream', response_id_path: 'data.id' },
      },
      payload_templates: { contact: (base.payload_templates as Record<string, unknown>).contact },
    });
    await new CustomRestAdapter().execute(commandFor(config), quiet(config));
    expect(crm.contacts.size).toBe(1);
    expect(crm.requests[0]?.url).toBe('/v1/contacts?source=leadstream&api_key=key-9d8c7b6a5f');
  });

  it('fetches an OAuth2 client-credentials token once, reuses it, and renews it before it expires', async () => {
    const crm = await server({
      type: 'oauth2',
      clientId: 'client-leadstream',
      clientSecret: 'client-secret-0a1b2c3d',
      expiresIn: 3600,
    });
    let now = Date.parse('2026-11-25T17:20:00Z');
    const clock: Clock = { now: () => new Date(now) };
    const config = oauth2Tenant(crm, { scope: 'contacts.write' });
    const adapter = new CustomRestAdapter({ clock });
    await adapter.execute(commandFor(config, 'CAL_1'), quiet(config));
    await adapter.execute(commandFor(config, 'CAL_2'), quiet(config));
    expect(crm.tokenRequests).toBe(1);
    expect(crm.contacts.size).toBe(2);

    now += 3600_000 - 30_000;
    await adapter.execute(commandFor(config, 'CAL_3'), quiet(config));
    expect(crm.tokenRequests).toBe(2);
  });

  it('replaces an OAuth2 token the CRM stopped accepting, once, and delivers', async () => {
    const crm = await server({
      type: 'oauth2',
      clientId: 'client-leadstream',
      clientSecret: 'client-secret-0a1b2c3d',
      expiresIn: 3600,
    });
    const config = oauth2Tenant(crm);
    const adapter = new CustomRestAdapter();
    await adapter.execute(commandFor(config, 'CAL_1'), quiet(config));
    crm.revokeTokens();
    await adapter.execute(commandFor(config, 'CAL_2'), quiet(config));
    expect(crm.tokenRequests).toBe(2);
    expect(crm.contacts.size).toBe(2);
  });

  it('reports refused client credentials as an auth error without the client secret', async () => {
    const crm = await server({
      type: 'oauth2',
      clientId: 'client-leadstream',
      clientSecret: 'other',
      expiresIn: 60,
    });
    const config = oauth2Tenant(crm);
    const error = await failureOf(new CustomRestAdapter().execute(commandFor(config), quiet(config)));
    expect(error).toMatchObject({ type: 'crm_auth_error', retryable: false });
    expect(error.message).toContain('invalid_client');
    expect(error.message).not.toContain('client-secret-0a1b2c3d');
    expect(crm.contacts.size).toBe(0);
  });

  it('turns 401 into a permanent crm_auth_error quoting the CRM, never the credential', async () => {
    const crm = await server({ type: 'bearer', token: TOKEN });
    const { text, context } = capturedLogs();
    const config = tenant(
      chainedConfig(crm, { authentication: { type: 'bearer', token: secret('wrong-token') } }),
    );
    const error = await failureOf(new CustomRestAdapter().execute(commandFor(config), context(config)));
    expect(error).toMatchObject({ type: 'crm_auth_error', retryable: false });
    expect(error.message).toContain('401');
    expect(error.message).toContain('Invalid or missing credentials');
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(
      'not-the-token-4242',
    );
    expect(text()).toContain('crm_auth_error');
    expect(text()).not.toContain('not-the-token-4242');
  });

  it('refuses, at configuration time, a credential placeholder in a payload template', () => {
    const config = tenant({
      type: 'custom',
      api_base_url: 'https://crm.example.com/v1',
      authentication: { type: 'api_key', key: secret('crm-key') },
      endpoints: { create_contact: { method: 'POST', path: '/contacts' } },
      payload_templates: { contact: { api_key: '{{auth.key}}', phone: '{{customer_phone}}' } },
    });
    expect(compileMapping(config.crm_config).errors).toEqual([
      expect.objectContaining({ path: 'crm_config.payload_templates.contact' }),
    ]);
  });
});

describe('custom REST adapter: record ids', () => {
  it('reads each id at its response_id_path and fills later bodies and paths with it', async () => {
    const crm = await server({ type: 'bearer', token: TOKEN });
    const config = tenant(
      chainedConfig(crm, { authentication: { type: 'bearer', token: secret('crm-token') } }),
    );
    const result = await new CustomRestAdapter().execute(commandFor(config), quiet(config));

    expect(result.outcomes).toEqual([
      { ref: 'contact', object_type: 'create_contact', id: 'rec_1', action: 'created' },
      { ref: 'opportunity', object_type: 'create_opportunity', id: 'rec_2', action: 'created' },
      { ref: 'note', object_type: 'create_note', id: 'note_1', action: 'created' },
    ]);
    expect(crm.opportunities.get('rec_2')).toEqual({ title: 'Jane Doe - kitchen', contact_id: 'rec_1' });
    expect(crm.notes).toEqual([{ contact: 'rec_1', body: { text: 'Lead score 92, contact rec_1' } }]);
  });

  it('keeps a numeric id a number where a field is exactly the placeholder', async () => {
    const crm = await server({ type: 'bearer', token: TOKEN }, 'top');
    const base = chainedConfig(crm, { authentication: { type: 'bearer', token: secret('crm-token') } });
    const endpoints = base.endpoints as Record<string, Record<string, unknown>>;
    const config = tenant({
      ...base,
      endpoints: {
        ...endpoints,
        create_contact: { ...endpoints.create_contact, response_id_path: 'id' },
        create_opportunity: { ...endpoints.create_opportunity, response_id_path: 'id' },
      },
    });
    const result = await new CustomRestAdapter().execute(commandFor(config), quiet(config));
    expect(crm.opportunities.get(1002)).toMatchObject({ contact_id: 1001 });
    expect(result.outcomes.map((outcome) => outcome.id)).toEqual(['1001', '1002', 'note_1']);
  });

  it('stops with a config error naming the answer when the id path is wrong and a later request needs it', async () => {
    const crm = await server({ type: 'bearer', token: TOKEN });
    const base = chainedConfig(crm, { authentication: { type: 'bearer', token: secret('crm-token') } });
    const endpoints = base.endpoints as Record<string, Record<string, unknown>>;
    const config = tenant({
      ...base,
      endpoints: {
        ...endpoints,
        create_contact: { ...endpoints.create_contact, response_id_path: 'contact.id' },
      },
    });
    const error = await failureOf(new CustomRestAdapter().execute(commandFor(config), quiet(config)));
    expect(error).toMatchObject({ type: 'config_error', retryable: false });
    expect(error.message).toContain('"contact.id"');
    expect(error.message).toContain('the answer has: data');
    expect(crm.opportunities.size).toBe(0);
  });
});

describe('custom REST adapter: failures', () => {
  async function bearerSetup(timeoutMs?: number) {
    const crm = await server({ type: 'bearer', token: TOKEN });
    const config = tenant(
      chainedConfig(crm, {
        authentication: { type: 'bearer', token: secret('crm-token') },
        ...(timeoutMs === undefined ? {} : { timeout_ms: timeoutMs }),
      }),
    );
    return { crm, config };
  }

  it('retries after a 429 with the Retry-After delay, then delivers without a second contact', async () => {
    const { crm, config } = await bearerSetup();
    crm.failNext(
      { status: 429, headers: { 'retry-after': '7' }, body: { message: 'Rate limit exceeded' } },
      { path: '/v1/opportunities' },
    );
    const adapter = new CustomRestAdapter();
    const command = commandFor(config);

    const error = await failureOf(adapter.execute(command, quiet(config)));
    expect(error).toMatchObject({ type: 'crm_rate_limited', retryable: true, retryAfterMs: 7000 });
    expect(error.message).toContain('Rate limit exceeded');

    crm.failNext({ status: 502, body: 'Bad Gateway' }, { path: '/v1/contacts/rec_1/notes' });
    await failureOf(adapter.execute(command, quiet(config)));
    expect(crm.notes).toHaveLength(0);

    const result = await adapter.execute(command, quiet(config));
    expect(result.outcomes.map((outcome) => outcome.action)).toEqual(['skipped', 'skipped', 'created']);
    expect(crm.contacts.size).toBe(1);
    expect(crm.opportunities.get('rec_2')).toMatchObject({ contact_id: 'rec_1' });
    const keys = crm.requests.map((request) => request.headers['idempotency-key']);
    expect(keys[1]).toBe(keys[2]);
    expect(crm.opportunities.size).toBe(1);
  });

  it('sends no request twice when another process, sharing only the ledger, redelivers a command that failed part-way', async () => {
    const crm = await server({ type: 'bearer', token: TOKEN }, 'top');
    const base = chainedConfig(crm, { authentication: { type: 'bearer', token: secret('crm-token') } });
    const endpoints = base.endpoints as Record<string, Record<string, unknown>>;
    const config = tenant({
      ...base,
      endpoints: {
        ...endpoints,
        create_contact: { ...endpoints.create_contact, response_id_path: 'id' },
        create_opportunity: { ...endpoints.create_opportunity, response_id_path: 'id' },
      },
    });
    const ledger = new MemoryRecordLedger();
    const process = () => new CustomRestAdapter({ delivered: new DeliveredRequests({ ledger }) });
    const command = commandFor(config);

    crm.failNext({ status: 503, body: 'Service Unavailable' }, { path: '/v1/opportunities' });
    await failureOf(process().execute(command, quiet(config)));
    // What succeeded is written under the command, so delivery's settle() covers it before any commit.
    expect(ledger.pendingWrites(command.tenant_id, command.idempotency_key)).toBe(1);

    const result = await process().execute(command, quiet(config));
    expect(result.outcomes.map((outcome) => [outcome.id, outcome.action])).toEqual([
      ['1001', 'skipped'],
      ['1002', 'created'],
      ['note_1', 'created'],
    ]);
    const contactPosts = crm.requests.filter((r) => r.method === 'POST' && r.url === '/v1/contacts');
    expect(contactPosts).toHaveLength(1);
    expect(crm.contacts.size).toBe(1);
    // The remembered id keeps its type: the opportunity names the contact by the number it was given.
    expect(crm.opportunities.get(1002)).toMatchObject({ contact_id: 1001 });
    expect(crm.notes).toEqual([expect.objectContaining({ contact: '1001' })]);
  });

  it('treats a 503 as retryable', async () => {
    const { crm, config } = await bearerSetup();
    crm.failNext({ status: 503, body: '<html>Service Unavailable</html>' });
    const error = await failureOf(new CustomRestAdapter().execute(commandFor(config), quiet(config)));
    expect(error).toMatchObject({ type: 'crm_unavailable', retryable: true });
  });

  it('gives up on a request that outlives timeout_ms, as retryable', async () => {
    const { crm, config } = await bearerSetup(100);
    crm.failNext({ status: 201, body: { data: { id: 'late' } }, delayMs: 1000 });
    const error = await failureOf(new CustomRestAdapter().execute(commandFor(config), quiet(config)));
    expect(error).toMatchObject({ type: 'crm_unavailable', retryable: true });
    expect(error.message).toContain('within 100 ms');
  });

  it('makes a 400 permanent with the CRM’s own reason', async () => {
    const { crm } = await bearerSetup();
    const base = chainedConfig(crm, { authentication: { type: 'bearer', token: secret('crm-token') } });
    const config = tenant({
      ...base,
      payload_templates: { contact: { first_name: '{{customer_name_first}}', phone: '{{customer_phone}}' } },
    });
    const error = await failureOf(new CustomRestAdapter().execute(commandFor(config), quiet(config)));
    expect(error).toMatchObject({ type: 'crm_rejected', retryable: false });
    expect(error.message).toContain('400');
    expect(error.message).toContain('last_name is required');
  });

  it('refuses, permanently and without quoting it, a header value HTTP forbids', async () => {
    const { crm, config } = await bearerSetup();
    const command = commandFor(config);
    const [first, ...rest] = command.operations;
    if (!first) throw new Error('the command has no operation');
    const payload = JSON.parse(first.payload_json) as { headers: Record<string, unknown> };
    payload.headers.Authorization = [{ text: 'Bearer ' }, { slot: 'auth.token' }, { text: '\u0000' }];
    const broken = { ...command, operations: [{ ...first, payload_json: JSON.stringify(payload) }, ...rest] };
    const error = await failureOf(new CustomRestAdapter().execute(broken, quiet(config)));
    expect(error).toMatchObject({ type: 'validation_error', retryable: false });
    expect(error.message).not.toContain(TOKEN);
    expect(crm.requests).toHaveLength(0);
  });

  it('shortens a long error body and cuts out a credential the CRM echoed back', async () => {
    const { crm, config } = await bearerSetup();
    crm.failNext({
      status: 400,
      body: { message: `token ${TOKEN} may not create contacts. ${'x'.repeat(5000)}` },
    });
    const error = await failureOf(new CustomRestAdapter().execute(commandFor(config), quiet(config)));
    expect(error.type).toBe('crm_rejected');
    expect(error.message).toContain('token [redacted] may not create contacts');
    expect(error.message).not.toContain(TOKEN);
    expect(error.message.length).toBeLessThan(600);
  });
});
