import { CALLER_PHONE, describeCrmContract, secretRef } from '../../../support/crm-contract.js';
import { type ServerAuth, startCustomCrmServer } from '../custom/custom-crm-server.js';

const CLIENT_ID = 'contract-client';
const CLIENT_SECRET = 'contract-client-secret-7c1e9a';
const ROTATED_CLIENT_SECRET = 'contract-client-secret-rotated-3b8d2f';
const json = { 'Content-Type': 'application/json' };

describeCrmContract({
  crm: 'custom',
  callerKind: 'contacts',
  // A contact found by phone before it is created, and an opportunity naming it.
  created: () => ({ contacts: 1, opportunities: 1 }),
  mapped: (score) => ({ first_name: 'Jane', last_name: 'Doe', phone: CALLER_PHONE, ai_score: score }),
  // The Retry-After of the 429 below.
  rateLimitDelayMs: 7_000,
  async start() {
    // OAuth2 client credentials: the custom REST authentication that exchanges its secret for tokens.
    // The server reads this object at each request, so changing the secret here rotates it.
    const auth: Extract<ServerAuth, { type: 'oauth2' }> = {
      type: 'oauth2',
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      expiresIn: 3600,
    };
    const server = await startCustomCrmServer({ auth });
    return {
      crmConfig: {
        type: 'custom',
        api_base_url: `${server.url}/v1`,
        authentication: {
          type: 'oauth2_client_credentials',
          token_url: `${server.url}/oauth/token`,
          client_id: secretRef('contract-custom-client-id'),
          client_secret: secretRef('contract-custom-client-secret'),
        },
        endpoints: {
          find_contact: {
            method: 'GET',
            path: '/contacts?phone={{customer_phone}}',
            response_id_path: 'data.0.id',
          },
          update_contact: { method: 'PATCH', path: '/contacts/{{contact.id}}', headers: json },
          create_contact: { method: 'POST', path: '/contacts', headers: json, response_id_path: 'data.id' },
          create_opportunity: {
            method: 'POST',
            path: '/opportunities',
            headers: json,
            response_id_path: 'data.id',
          },
        },
        payload_templates: {
          contact: {
            first_name: '{{customer_name_first}}',
            last_name: '{{customer_name_last}}',
            phone: '{{customer_phone}}',
            custom_fields: { ai_score: '{{ai_analysis.lead_score}}' },
          },
          opportunity: {
            title: '{{customer_name}} - {{ai_analysis.project_type}}',
            contact_id: '{{contact.id}}',
          },
        },
      },
      secrets: {
        'contract-custom-client-id': CLIENT_ID,
        'contract-custom-client-secret': CLIENT_SECRET,
      },
      emulator: {
        counts: () => ({ contacts: server.contacts.size, opportunities: server.opportunities.size }),
        callerRecord() {
          const contact = [...server.contacts.values()][0];
          const custom = contact?.custom_fields as Record<string, unknown> | undefined;
          return contact && { ...contact, ai_score: custom?.ai_score };
        },
        rateLimitNext: () =>
          server.failNext({ status: 429, headers: { 'retry-after': '7' }, body: { message: 'slow down' } }),
        revokeCredential() {
          // The client's secret withdrawn on the CRM's side, and the tokens it got with it.
          auth.clientSecret = 'withdrawn';
          server.revokeTokens();
        },
        rotateCredential() {
          auth.clientSecret = ROTATED_CLIENT_SECRET;
          server.revokeTokens();
          return { 'contract-custom-client-secret': ROTATED_CLIENT_SECRET };
        },
        stop: () => server.close(),
      },
    };
  },
});
