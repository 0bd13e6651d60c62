import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTenantFile } from '../../../../src/config/tenants/directory-tenant-source.js';
import { CustomRestAdapter } from '../../../../src/crm/custom/custom-rest-adapter.js';
import { compileMapping } from '../../../../src/mapping/compile-mapping.js';
import { failureOf } from '../../../support/failure-of.js';
import type { CustomCrmServer } from './custom-crm-server.js';
import { commandFor, quiet, serversPerTest, TENANT, TOKEN, tenant } from './custom-harness.js';

const json = { 'Content-Type': 'application/json' };

const server = serversPerTest();
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A contact found by phone before it is created, and an opportunity naming it. */
function crmConfig(crm: CustomCrmServer, endpoints: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'custom',
    api_base_url: `${crm.url}/v1`,
    authentication: { type: 'bearer', token: 'secret:projects/p/secrets/crm-token/versions/latest' },
    endpoints: {
      find_contact: {
        method: 'GET',
        path: '/contacts?phone={{customer_phone}}',
        response_id_path: 'data.0.id',
      },
      create_contact: { method: 'POST', path: '/contacts', headers: json, response_id_path: 'data.id' },
      create_opportunity: {
        method: 'POST',
        path: '/opportunities',
        headers: json,
        response_id_path: 'data.id',
      },
      ...endpoints,
    },
    payload_templates: {
      contact: { last_name: '{{customer_name_last}}', phone: '{{customer_phone}}' },
      opportunity: {
        title: '{{customer_name}} - {{ai_analysis.project_type}}',
        contact_id: '{{contact.id}}',
      },
    },
  };
}

describe('custom REST adapter: find before create', () => {
  it('asks find_contact first and creates a new caller’s contact when it finds none', async () => {
    const crm = await server();
    const config = tenant(crmConfig(crm));
    const result = await new CustomRestAdapter().execute(commandFor(config, 'CAL_1'), quiet(config));
    expect(result.outcomes.map((outcome) => outcome.action)).toEqual(['created', 'created']);
    expect(crm.contacts.size).toBe(1);
    const find = crm.requests[0];
    expect(find).toMatchObject({ method: 'GET', url: '/v1/contacts?phone=%2B15125550143' });
    expect(find?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(find?.headers['idempotency-key']).toBeUndefined();
  });

  it('uses the contact a redelivery finds on another process instead of creating a second one', async () => {
    const crm = await server();
    const config = tenant(crmConfig(crm));
    const command = commandFor(config, 'CAL_2');
    crm.failNext({ status: 503, body: { message: 'try later' } }, { path: '/v1/opportunities' });
    const first = await failureOf(new CustomRestAdapter().execute(command, quiet(config)));
    expect(first).toMatchObject({ type: 'crm_unavailable', retryable: true });
    expect(crm.contacts.size).toBe(1);

    const result = await new CustomRestAdapter().execute(command, quiet(config));
    expect(crm.contacts.size).toBe(1);
    expect(result.outcomes).toEqual([
      { ref: 'contact', object_type: 'create_contact', id: 'rec_1', action: 'skipped' },
      { ref: 'opportunity', object_type: 'create_opportunity', id: 'rec_2', action: 'created' },
    ]);
    expect([...crm.opportunities.values()]).toEqual([expect.objectContaining({ contact_id: 'rec_1' })]);
  });

  it('sends update_contact to the contact found, naming it by {{contact.id}}', async () => {
    const crm = await server();
    const config = tenant(
      crmConfig(crm, {
        update_contact: { method: 'PATCH', path: '/contacts/{{contact.id}}', headers: json },
      }),
    );
    crm.contacts.set('rec_9', { last_name: 'Roe', phone: '+15125550143' });
    const result = await new CustomRestAdapter().execute(commandFor(config, 'CAL_3'), quiet(config));
    expect(result.outcomes[0]).toMatchObject({ id: 'rec_9', action: 'updated' });
    expect(crm.contacts.get('rec_9')).toEqual({ last_name: 'Doe', phone: '+15125550143' });
    expect(crm.contacts.size).toBe(1);
    expect(crm.opportunities.size).toBe(1);
    expect(crm.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /v1/contacts?phone=%2B15125550143',
      'PATCH /v1/contacts/rec_9',
      'POST /v1/opportunities',
    ]);
  });

  it('creates without asking when the call lacks the value the find path names', async () => {
    const crm = await server();
    crm.contacts.set('rec_9', { last_name: 'Roe', phone: '+12125551234' });
    const config = tenant(
      crmConfig(crm, {
        find_contact: {
          method: 'GET',
          path: '/contacts?email={{customer_email}}',
          response_id_path: 'data.0.id',
        },
      }),
    );
    const result = await new CustomRestAdapter().execute(commandFor(config, 'CAL_4'), quiet(config));
    expect(result.outcomes[0]?.action).toBe('created');
    expect(crm.requests.filter((request) => request.method === 'GET')).toEqual([]);
  });

  it('classifies a failed find like any other request, and creates nothing', async () => {
    const crm = await server();
    const config = tenant(crmConfig(crm));
    crm.failNext(
      { status: 429, headers: { 'retry-after': '7' }, body: { message: 'slow down' } },
      { path: '/v1/contacts?' },
    );
    const limited = await failureOf(
      new CustomRestAdapter().execute(commandFor(config, 'CAL_5'), quiet(config)),
    );
    expect(limited).toMatchObject({ type: 'crm_rate_limited', retryable: true, retryAfterMs: 7_000 });
    crm.failNext({ status: 403, body: { message: 'search not allowed' } }, { path: '/v1/contacts?' });
    const refused = await failureOf(
      new CustomRestAdapter().execute(commandFor(config, 'CAL_5'), quiet(config)),
    );
    expect(refused).toMatchObject({ type: 'crm_auth_error', retryable: false });
    expect(refused.message).toContain('find_contact (GET /contacts?phone=');
    expect(crm.contacts.size).toBe(0);
  });
});

describe('custom REST configuration: find and update endpoints', () => {
  it('names the path of a find_ endpoint that is not GET, and of a GET create endpoint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadstream-find-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'tenant_acme.json');
    const config = crmConfig({ url: 'https://crm.example.com' } as CustomCrmServer, {
      find_contact: { method: 'POST', path: '/contacts/search' },
      create_opportunity: { method: 'GET', path: '/opportunities' },
    });
    await writeFile(file, JSON.stringify({ tenant_id: TENANT, crm_config: config }));
    const { issues } = await readTenantFile(file);
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      'crm_config.endpoints.create_opportunity.method',
      'crm_config.endpoints.find_contact.method',
    ]);
  });

  it('requires update_<record> to name the found record’s id in its path', () => {
    const config = tenant(
      crmConfig({ url: 'https://crm.example.com' } as CustomCrmServer, {
        update_contact: { method: 'PUT', path: '/contacts' },
      }),
    );
    expect(compileMapping(config.crm_config).errors).toEqual([
      expect.objectContaining({ path: 'crm_config.endpoints.update_contact.path' }),
    ]);
  });
});
