import { afterEach, describe, expect, it } from 'vitest';
import { tenantConfigSchema } from '../../../../src/config/tenants/tenant-config.js';
import { HubSpotClientFactory } from '../../../../src/crm/hubspot/client-factory.js';
import { provisionContactProperties } from '../../../../src/crm/hubspot/provision-properties.js';
import { EnvSecretResolver } from '../../../../src/secrets/env-secret-resolver.js';
import { systemClock } from '../../../../src/time/clock.js';
import {
  DEFAULT_TOKEN,
  type HubSpotEmulator,
  startHubSpotEmulator,
} from '../../../emulators/hubspot/emulator.js';
import { emulatorOutbound } from '../../../support/emulator-outbound.js';
import { guideCrmConfig } from '../../../support/guide-fixtures.js';

/** The setup guide's HubSpot crm_config, field for field, pointed at the emulator. */
function guideConfig(baseUrl: string) {
  const tenant = tenantConfigSchema.parse({
    tenant_id: 'tenant_guide',
    crm_config: { ...guideCrmConfig('hubspot'), base_url: baseUrl, api_token: DEFAULT_TOKEN },
  });
  if (tenant.crm_config.type !== 'hubspot') throw new Error('unreachable');
  return { tenant, config: tenant.crm_config };
}

describe('leadstream crm provision for HubSpot', () => {
  let emulator: HubSpotEmulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  async function provision() {
    emulator ??= await startHubSpotEmulator();
    const { tenant, config } = guideConfig(emulator.url);
    const client = await new HubSpotClientFactory().clientFor(
      tenant.tenant_id,
      config,
      new EnvSecretResolver({}),
      emulatorOutbound,
    );
    return provisionContactProperties(client, config, { clock: systemClock, timeoutMs: 5_000 });
  }

  it("creates the guide's group and properties with their types, field types and options", async () => {
    const report = await provision();
    expect(report).toMatchObject({ group: 'created', conflicts: [], skipped: [] });
    expect(report.created.sort()).toEqual(
      [
        'ai_lead_score',
        'ai_project_type',
        'ai_timeline',
        'call_duration',
        'call_recording_url',
        'call_transcript',
        'lead_source',
        'lead_source_detail',
      ].sort(),
    );
    const properties = emulator?.portal().properties.contacts;
    expect(properties?.get('call_transcript')).toMatchObject({
      type: 'string',
      fieldType: 'textarea',
      groupName: 'call_information',
      label: 'Call Transcript',
    });
    expect(properties?.get('ai_lead_score')).toMatchObject({
      type: 'number',
      fieldType: 'number',
      label: 'AI Lead Score',
    });
    expect(properties?.get('ai_timeline')?.options.map((o) => [o.label, o.value])).toEqual([
      ['Immediate', 'immediate'],
      ['1-3 Months', '1-3_months'],
      ['3-6 Months', '3-6_months'],
      ['6+ Months', '6+_months'],
      ['Unknown', 'unknown'],
    ]);
    expect(properties?.get('ai_project_type')?.options.map((o) => o.value)).toEqual([
      'kitchen',
      'bathroom',
      'whole_home',
      'addition',
      'unknown',
    ]);
  });

  it('changes nothing on a second run', async () => {
    await provision();
    const creates = () => emulator?.requestsTo('POST', /^\/crm\/v3\/properties\/contacts/).length;
    const before = creates();
    const report = await provision();
    expect(report.group).toBe('existing');
    expect(report.created).toEqual([]);
    expect(report.existing).toHaveLength(6);
    expect(creates()).toBe(before);
  });

  it('reports a property that exists with another type instead of changing it', async () => {
    emulator = await startHubSpotEmulator();
    emulator.portal().defineProperty('contacts', { name: 'ai_lead_score', type: 'string' });
    const report = await provision();
    expect(report.conflicts).toEqual([
      { name: 'ai_lead_score', reason: 'exists as string, the mapping sends number' },
    ]);
    expect(emulator.portal().properties.contacts.get('ai_lead_score')?.type).toBe('string');
  });
});
