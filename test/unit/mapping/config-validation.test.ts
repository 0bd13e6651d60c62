import { describe, expect, it } from 'vitest';
import { parseTenantFile } from '../../../src/config/tenants/directory-tenant-source.js';

const HUBSPOT = { type: 'hubspot', api_token: 'secret:projects/P/secrets/S/versions/latest' };

function check(crmConfig: Record<string, unknown>) {
  const result = parseTenantFile('t.json', JSON.stringify({ tenant_id: 't', crm_config: crmConfig }));
  return {
    errors: result.issues.map((issue) => `${issue.path}: ${issue.message}`),
    warnings: result.warnings.map((issue) => `${issue.path}: ${issue.message}`),
  };
}

describe('tenant configuration errors name the JSON path and what was expected', () => {
  it('suggests the key meant for an unknown key', () => {
    expect(check({ ...HUBSPOT, fiel_mappings: {} }).errors).toEqual([
      'crm_config.fiel_mappings: unknown key "fiel_mappings" (did you mean "field_mappings"?)',
    ]);
  });

  it('lists the allowed types of a custom property', () => {
    const properties = [0, 1, 2, 3].map((index) => ({
      name: `p${index}`,
      value: 'call_id',
      type: index === 3 ? 'text' : 'string',
    }));
    expect(check({ ...HUBSPOT, custom_properties: properties }).errors).toEqual([
      'crm_config.custom_properties[3].type: expected one of string, number, enumeration, bool, date, datetime',
    ]);
  });

  it('lists the CRMs for an unknown type', () => {
    expect(check({ type: 'dynamics' }).errors).toEqual([
      'crm_config.type: expected one of hubspot, salesforce, pipedrive, monday, zoho, custom',
    ]);
  });

  it('says which type a value should have had', () => {
    expect(check({ ...HUBSPOT, pipeline_id: 7 }).errors).toEqual([
      'crm_config.pipeline_id: expected string, got number',
    ]);
  });

  it('reports every problem of a file at once', () => {
    const { errors } = check({
      ...HUBSPOT,
      field_mappings: {
        city: 'customer_citty',
        score: { type: 'computed', formula: 'rount(ai_analysis.lead_score)' },
      },
      workflow_triggers: { hot: { condition: 'ai_analysis.leadscore > 80', actions: ['create_task'] } },
    });
    expect(errors).toEqual([
      'crm_config.field_mappings.city: unknown call field customer_citty (did you mean "customer_city"?); write {"type": "literal", "value": "customer_citty"} for literal text',
      'crm_config.field_mappings.score.formula: expression "rount(ai_analysis.lead_score)": unknown function rount (did you mean "round"?)',
      'crm_config.workflow_triggers.hot.condition: expression "ai_analysis.leadscore > 80": unknown identifier ai_analysis.leadscore (did you mean "ai_analysis.lead_score"?)',
    ]);
  });

  it('rejects a formula indexing a map nobody declared', () => {
    const { errors } = check({
      ...HUBSPOT,
      field_mappings: { value: { type: 'computed', formula: 'price_map[ai_analysis.project_type]' } },
    });
    expect(errors[0]).toMatch(/^crm_config.field_mappings.value.formula: .*only indexes a map declared/);
  });

  it('rejects a Salesforce field name SOQL could misread', () => {
    const config = {
      type: 'salesforce',
      instance_url: 'https://x.my.salesforce.com',
      consumer_key: 'k',
      private_key: 'p',
      username: 'u',
      object_mappings: { lead: { "LastName' OR Id != '": 'customer_name_last' } },
    };
    expect(check(config).errors[0]).toMatch(
      /^crm_config.object_mappings.lead.LastName' OR Id != ': invalid name: expected a Salesforce field API name/,
    );
  });

  it('rejects a custom payload template that has no endpoint to go to', () => {
    const config = {
      type: 'custom',
      api_base_url: 'https://api.example.com',
      endpoints: { create_contact: { method: 'POST', path: '/contacts' } },
      payload_templates: { contact: { name: '{{customer_name}}' }, deal: { title: '{{customer_nam}}' } },
    };
    expect(check(config).errors).toEqual([
      'crm_config.payload_templates.deal: no endpoint create_deal or deal in crm_config.endpoints',
    ]);
  });

  it('rejects a template placeholder that names no call field', () => {
    const config = {
      type: 'custom',
      api_base_url: 'https://api.example.com',
      endpoints: { create_contact: { method: 'POST', path: '/contacts' } },
      payload_templates: { contact: { address: { city: '{{customer_cty}}' } } },
    };
    expect(check(config).errors).toEqual([
      'crm_config.payload_templates.contact.address.city: expression "customer_cty": unknown identifier customer_cty (did you mean "customer_city"?)',
    ]);
  });
});

describe('literals and call fields: one rule for every CRM', () => {
  const salesforce = (lead: Record<string, unknown>) => ({
    type: 'salesforce',
    instance_url: 'https://x.my.salesforce.com',
    consumer_key: 'k',
    private_key: 'p',
    username: 'u',
    object_mappings: { lead: { LastName: 'customer_name_last', ...lead } },
  });

  it('reads a call field name as the field and other text as a literal, silently', () => {
    const result = check(salesforce({ Description: 'transcription', Status: 'Open - Not Contacted' }));
    expect(result).toEqual({ errors: [], warnings: [] });
  });

  it('warns where lower-case text could be a field but is sent as a literal', () => {
    expect(check(salesforce({ LeadSource: 'phone_call' })).warnings).toEqual([
      'crm_config.object_mappings.lead.LeadSource: "phone_call" is not a call field, so it is sent as literal text; write {"type": "literal", "value": "phone_call"} for literal text',
    ]);
  });

  it('takes {"type": "literal"} as a literal without a warning, even when it names a field', () => {
    expect(check(salesforce({ LeadSource: { type: 'literal', value: 'source' } }))).toEqual({
      errors: [],
      warnings: [],
    });
  });

  it('treats a dotted name under a field group as a field, so a typo there is an error', () => {
    expect(check(salesforce({ Rating: 'ai_analysis.budget' })).errors[0]).toMatch(
      /^crm_config.object_mappings.lead.Rating: unknown call field ai_analysis.budget/,
    );
  });
});
