import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryTenantSource } from '../../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../../src/config/tenants/tenant-config.js';
import { type RunningLeadstream, startLeadstream } from '../../src/roles/runtime.js';
import { EnvSecretResolver } from '../../src/secrets/env-secret-resolver.js';
import { fixedAnalyzer } from '../support/fixed-analyzer.js';
import { isolatedSettings } from '../support/platform.js';
import { waitFor } from '../support/wait-for.js';
import { type RecordingCrm, startRecordingCrm } from '../unit/crm/custom/recording-crm.js';

const TOKEN = 'tenant-bearer-token-7c41d9';
const FORM_KEY = 'form-key-of-the-custom-tenant';
const TRAVERSAL = '../../admin/users/1?delete=true&x=';

/**
 * The measured attack, from outside: web-form fields posted to the real gateway travel through Kafka,
 * the enricher and the mapper to a custom REST CRM (a server that records every request as it arrived).
 */
describe('caller text posted to the gateway, at the custom CRM', () => {
  const settings = isolatedSettings({ OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' });
  let crm: RecordingCrm;
  let app: RunningLeadstream;

  beforeAll(async () => {
    crm = await startRecordingCrm();
    const tenant = tenantConfigSchema.parse({
      tenant_id: 'tenant_custom_hostile',
      forms: { api_key: FORM_KEY },
      crm_config: {
        type: 'custom',
        api_base_url: `${crm.url}/v1`,
        authentication: { type: 'bearer', token: 'secret:projects/p/secrets/hostile-custom/versions/1' },
        endpoints: {
          create_contact: {
            method: 'POST',
            path: '/contacts/{{form_fields.ref}}',
            headers: { 'X-Lead-Source': '{{form_fields.source_note}}', 'Content-Type': 'application/json' },
            response_id_path: 'data.id',
          },
        },
        payload_templates: { contact: { phone: '{{customer_phone}}', note: '{{form_fields.note}}' } },
      },
    });
    app = await startLeadstream(settings, ['gateway', 'enricher', 'mapper', 'delivery'], {
      tenants: DirectoryTenantSource.fromConfigs([tenant]),
      secrets: new EnvSecretResolver({ [EnvSecretResolver.variableFor('hostile-custom')]: TOKEN }),
      analyzer: fixedAnalyzer,
    });
    await waitFor('every role ready', () => (app.ready() ? true : undefined), 60_000);
  });

  afterAll(async () => {
    await app?.stop();
    await crm?.close();
  });

  it('keeps a path traversal inside its segment and never expands {{auth.token}} typed into a form', async () => {
    const response = await fetch(`${app.gatewayUrl}/v1/forms/tenant_custom_hostile`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-leadstream-form-key': FORM_KEY },
      body: new URLSearchParams({
        submission_id: 'sub-hostile-1',
        phone: '+15125550143',
        ref: TRAVERSAL,
        source_note: '{{auth.token}}',
        note: 'call me {{auth.token}} {{contact.id}}',
      }).toString(),
    });
    expect(response.status).toBe(202);

    const request = await waitFor('the request at the CRM', () => crm.requests[0], 30_000);
    expect(crm.requests).toHaveLength(1);
    expect(`${request.method} ${request.target}`).toBe(`POST /v1/contacts/${encodeURIComponent(TRAVERSAL)}`);
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.headers['x-lead-source']).toBe('{{auth.token}}');
    expect(JSON.parse(request.body)).toEqual({
      phone: '+15125550143',
      note: 'call me {{auth.token}} {{contact.id}}',
    });
    const outsideItsHeader = JSON.stringify({
      ...request,
      headers: { ...request.headers, authorization: '' },
    });
    expect(outsideItsHeader).not.toContain(TOKEN);
  });
});
