import { describe, expect, it } from 'vitest';
import { type TenantConfig, tenantConfigSchema } from '../../../src/config/tenants/tenant-config.js';
import { OutboundPolicy } from '../../../src/outbound/outbound-policy.js';
import { outboundUrlIssues } from '../../../src/outbound/tenant-urls.js';

const tenant = (fields: Record<string, unknown>): TenantConfig =>
  tenantConfigSchema.parse({ tenant_id: 'tenant_acme', ...fields });

const METADATA = 'http://169.254.169.254/latest/meta-data';

describe('outboundUrlIssues', () => {
  it('locates every refused URL of every CRM, CallRail and the LLM by its JSON path', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ crm_config: { type: 'hubspot', api_token: 'x', base_url: METADATA } }, 'crm_config.base_url'],
      [
        { crm_config: { type: 'pipedrive', api_token: 'x', company_domain: '127.0.0.1:8080' } },
        'crm_config.company_domain',
      ],
      [
        {
          crm_config: {
            type: 'pipedrive',
            api_token: 'x',
            company_domain: 'acme.pipedrive.com',
            api_base_url: 'http://[::1]:9000/api/v2',
          },
        },
        'crm_config.api_base_url',
      ],
      [
        { crm_config: { type: 'monday', api_token: 'x', board_id: 1, api_url: METADATA } },
        'crm_config.api_url',
      ],
      [
        {
          crm_config: {
            type: 'zoho',
            client_id: 'a',
            client_secret: 'b',
            refresh_token: 'c',
            accounts_url: METADATA,
          },
        },
        'crm_config.accounts_url',
      ],
      [
        {
          crm_config: {
            type: 'zoho',
            client_id: 'a',
            client_secret: 'b',
            refresh_token: 'c',
            api_domain: 'gopher://x',
          },
        },
        'crm_config.api_domain',
      ],
      [
        {
          crm_config: {
            type: 'custom',
            api_base_url: 'https://crm.example.com',
            authentication: {
              type: 'oauth2_client_credentials',
              token_url: 'https://10.0.0.9/token',
              client_id: 'a',
              client_secret: 'b',
            },
            endpoints: { create_contact: { method: 'POST', path: '/contacts' } },
            payload_templates: { contact: { phone: '{{phone_number}}' } },
          },
        },
        'crm_config.authentication.token_url',
      ],
      [
        {
          callrail: {
            signing_secret: 's',
            account_id: 'A',
            api_key: 'k',
            api_base_url: 'file:///etc/passwd',
          },
          crm_config: { type: 'hubspot', api_token: 'x' },
        },
        'callrail.api_base_url',
      ],
      [
        {
          analysis: { llm: { base_url: 'http://localhost:11434/v1', model: 'm' } },
          crm_config: { type: 'hubspot', api_token: 'x' },
        },
        'analysis.llm.base_url',
      ],
    ];
    for (const [fields, path] of cases) {
      expect(outboundUrlIssues(tenant(fields), OutboundPolicy.strict).map((issue) => issue.path)).toEqual([
        path,
      ]);
    }
  });

  it('has nothing to say of https URLs to public hosts and of the CRMs’ defaults', () => {
    expect(
      outboundUrlIssues(tenant({ crm_config: { type: 'hubspot', api_token: 'x' } }), OutboundPolicy.strict),
    ).toEqual([]);
    expect(
      outboundUrlIssues(
        tenant({ crm_config: { type: 'monday', api_token: 'x', board_id: 1 } }),
        OutboundPolicy.strict,
      ),
    ).toEqual([]);
  });
});
