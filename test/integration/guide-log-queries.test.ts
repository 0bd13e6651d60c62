import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryTenantSource } from '../../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../../src/config/tenants/tenant-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { type RunningLeadstream, startLeadstream } from '../../src/roles/runtime.js';
import { EnvSecretResolver } from '../../src/secrets/env-secret-resolver.js';
import { type HubSpotEmulator, startHubSpotEmulator } from '../emulators/hubspot/emulator.js';
import { captureLogLines } from '../support/log-capture.js';
import { isolatedSettings } from '../support/platform.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The setup guide's Cloud Logging queries, run over the JSON lines a whole pipeline writes:
 * `workflow_step=crm_push AND status=success`, `severity>=ERROR`, `error_type=field_mapping_error`.
 */

const HUBSPOT_TOKEN = 'pat-na1-log-queries-token';
const GOOD = 'tenant_logs_good';
const BAD_MAPPING = 'tenant_logs_bad_mapping';

/** Cloud Logging's order of the severities we write. */
const RANK: Record<string, number> = { DEBUG: 100, INFO: 200, WARNING: 400, ERROR: 500, CRITICAL: 600 };
const ERROR = 500;

type LogLine = Record<string, unknown>;

function tenant(tenantId: string, hubspotUrl: string, customProperties: unknown[]) {
  return tenantConfigSchema.parse({
    tenant_id: tenantId,
    forms: { allowed_origins: ['https://www.example-remodeling.com'] },
    crm_config: {
      type: 'hubspot',
      base_url: hubspotUrl,
      api_token: 'secret:projects/p/secrets/logs-hubspot/versions/latest',
      field_mappings: { email: 'email', firstname: 'customer_name_first', lastname: 'customer_name_last' },
      custom_properties: customProperties,
    },
  });
}

describe('the setup guide log queries on the pipeline logs', () => {
  const settings = isolatedSettings();
  const captured = captureLogLines();
  const lines = (): LogLine[] => captured.lines();
  let hubspot: HubSpotEmulator;
  let app: RunningLeadstream;

  beforeAll(async () => {
    hubspot = await startHubSpotEmulator({ portals: [{ token: HUBSPOT_TOKEN }] });
    app = await startLeadstream(settings, ['gateway', 'enricher', 'mapper', 'delivery'], {
      tenants: DirectoryTenantSource.fromConfigs([
        tenant(GOOD, hubspot.url, []),
        // A name is no number: the mapper cannot build this property.
        tenant(BAD_MAPPING, hubspot.url, [{ name: 'call_duration', value: 'customer_name', type: 'number' }]),
      ]),
      secrets: new EnvSecretResolver({ LEADSTREAM_SECRET_LOGS_HUBSPOT: HUBSPOT_TOKEN }),
      logger: createLogger({ level: 'info', destination: captured.stream }),
    });
    await waitFor('every role ready', () => (app.ready() ? true : undefined), 60_000);
  });

  afterAll(async () => {
    await app?.stop();
    await hubspot?.stop();
  });

  async function postLead(tenantId: string): Promise<string> {
    const response = await fetch(`${app.gatewayUrl}/v1/forms/${tenantId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://www.example-remodeling.com' },
      body: JSON.stringify({ fields: { name: 'Jane Doe', email: `jane.${tenantId}@example.com` } }),
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as { call_id: string }).call_id;
  }

  it('finds each delivered lead once, and the mapping error by severity and by error_type', async () => {
    const delivered = await postLead(GOOD);
    const broken = await postLead(BAD_MAPPING);
    await waitFor('the contact in HubSpot', () => hubspot.contacts(HUBSPOT_TOKEN)[0], 30_000);
    // The success line is written when the whole command is done, after the contact and the ledger write.
    await waitFor('the delivery logged', () =>
      lines().find(
        (line) =>
          line.call_id === delivered && line.workflow_step === 'crm_push' && line.status === 'success',
      ),
    );
    await waitFor('the mapping error dead-lettered', () =>
      lines().find((line) => line.call_id === broken && line.status === 'dead_lettered'),
    );

    const pushed = lines().filter((line) => line.workflow_step === 'crm_push' && line.status === 'success');
    expect(pushed).toEqual([
      expect.objectContaining({ severity: 'INFO', tenant_id: GOOD, call_id: delivered, crm: 'hubspot' }),
    ]);

    const errors = lines().filter((line) => (RANK[String(line.severity)] ?? 0) >= ERROR);
    expect(errors).toEqual([
      expect.objectContaining({
        severity: 'ERROR',
        workflow_step: 'mapping',
        status: 'dead_lettered',
        error_type: 'field_mapping_error',
        tenant_id: BAD_MAPPING,
        call_id: broken,
      }),
    ]);
    expect(String(errors[0]?.message)).toContain('call_duration');

    const mappingErrors = lines().filter((line) => line.error_type === 'field_mapping_error');
    expect(mappingErrors.length).toBeGreaterThan(0);
    for (const line of mappingErrors) expect(line).toMatchObject({ tenant_id: BAD_MAPPING, call_id: broken });

    for (const line of lines())
      expect(line).toEqual(expect.objectContaining({ severity: expect.any(String) }));
    expect(captured.text()).not.toContain(HUBSPOT_TOKEN);
  });
});
