import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DirectoryTenantSource,
  parseTenantFile,
} from '../../../src/config/tenants/directory-tenant-source.js';
import { OutboundPolicy } from '../../../src/outbound/outbound-policy.js';

const valid = {
  tenant_id: 'tenant_acme',
  callrail: {
    company_ids: ['COM123'],
    signing_secret: 'secret:projects/p/secrets/acme-callrail/versions/latest',
  },
  crm_config: { type: 'hubspot', api_token: 'secret:projects/p/secrets/acme-hubspot/versions/latest' },
};

async function directoryWith(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tenants-'));
  for (const [name, content] of Object.entries(files)) {
    await writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

describe('tenant configuration files', () => {
  it('finds a tenant by id and by CallRail company', async () => {
    const source = await DirectoryTenantSource.load(
      await directoryWith({ 'acme.json': valid }),
      OutboundPolicy.strict,
    );
    expect((await source.get('tenant_acme'))?.crm_config.type).toBe('hubspot');
    expect((await source.findByCallRailCompany('COM123'))?.tenant_id).toBe('tenant_acme');
    expect(await source.get('tenant_other')).toBeUndefined();
  });

  it('reports the file and JSON path of every problem', async () => {
    const broken = { ...valid, callrail: { company_ids: [42], signing_secret: '' } };
    const dir = await directoryWith({ 'acme.json': broken, 'bad.json': '{ not json' });
    const failure = DirectoryTenantSource.load(dir, OutboundPolicy.strict);
    await expect(failure).rejects.toThrow(/acme\.json: callrail\.company_ids\[0\]/);
    await expect(failure).rejects.toThrow(/acme\.json: callrail\.signing_secret/);
    await expect(failure).rejects.toThrow(/bad\.json: \(root\): not valid JSON/);
  });

  it('rejects unknown keys rather than ignoring a misspelt setting', () => {
    const result = parseTenantFile('x.json', JSON.stringify({ ...valid, crm_confg: {} }));
    expect(result.issues.map((issue) => issue.message).join()).toMatch(/crm_confg/);
  });

  it('refuses two tenants claiming one CallRail company', async () => {
    const other = { ...valid, tenant_id: 'tenant_other' };
    const dir = await directoryWith({ 'a.json': valid, 'b.json': other });
    await expect(DirectoryTenantSource.load(dir, OutboundPolicy.strict)).rejects.toThrow(
      /COM123 is claimed by both tenant_acme and tenant_other/,
    );
  });

  it("refuses to start with a tenant whose CRM URL the deployment's outbound policy refuses", async () => {
    const metadata = { ...valid, crm_config: { ...valid.crm_config, base_url: 'http://169.254.169.254/' } };
    const dir = await directoryWith({ 'acme.json': metadata });
    await expect(DirectoryTenantSource.load(dir, OutboundPolicy.strict)).rejects.toThrow(
      /acme\.json: crm_config\.base_url: 169\.254\.169\.254 is a link-local address/,
    );
    const allowed = await DirectoryTenantSource.load(dir, OutboundPolicy.parse('169.254.169.254'));
    expect(allowed.size).toBe(1);
  });
});
