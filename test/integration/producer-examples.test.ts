import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryTenantSource } from '../../src/config/tenants/directory-tenant-source.js';
import { tenantConfigSchema } from '../../src/config/tenants/tenant-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { type RunningLeadstream, startLeadstream } from '../../src/roles/runtime.js';
import { EnvSecretResolver } from '../../src/secrets/env-secret-resolver.js';
import { type HubSpotEmulator, startHubSpotEmulator } from '../emulators/hubspot/emulator.js';
import { defineGuideProperties } from '../emulators/hubspot/guide-properties.js';
import { captureLogLines } from '../support/log-capture.js';
import { isolatedSettings, KAFKA_BROKERS, REGISTRY_URL } from '../support/platform.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The producers in examples/producers/, written from docs/producing-events.md alone in two languages
 * and clients (kafkajs with @kafkajs/confluent-schema-registry; confluent-kafka's AvroSerializer), each
 * run as a process of its own against the real broker and registry: their call reaches the CRM.
 */

const run = promisify(execFile);
const HUBSPOT_TOKEN = 'pat-na1-producer-examples';
const TENANT = 'tenant_producer_examples';

describe('the producer examples, on the real broker and registry', () => {
  const settings = isolatedSettings();
  const subject = `${settings.TOPIC_RAW_CALLS}-value`;
  const captured = captureLogLines();
  let hubspot: HubSpotEmulator;
  let app: RunningLeadstream;

  beforeAll(async () => {
    hubspot = await startHubSpotEmulator({ portals: [{ token: HUBSPOT_TOKEN }] });
    defineGuideProperties(hubspot.portal(HUBSPOT_TOKEN));
    const tenant = tenantConfigSchema.parse({
      tenant_id: TENANT,
      crm_config: {
        type: 'hubspot',
        base_url: hubspot.url,
        api_token: 'secret:projects/p/secrets/examples-hubspot/versions/latest',
        field_mappings: {
          email: 'email',
          firstname: 'customer_name_first',
          lastname: 'customer_name_last',
          lead_source: 'source',
          lead_source_detail: 'source_kind',
        },
      },
    });
    // The pipeline first, as in production: it creates raw-calls-value with its BACKWARD rule.
    app = await startLeadstream(settings, ['enricher', 'mapper', 'delivery'], {
      tenants: DirectoryTenantSource.fromConfigs([tenant]),
      secrets: new EnvSecretResolver({ LEADSTREAM_SECRET_EXAMPLES_HUBSPOT: HUBSPOT_TOKEN }),
      metrics: new Metrics({ processMetrics: false, tenantLabel: false }),
      logger: createLogger({ level: 'info', destination: captured.stream }),
    });
    await waitFor('every role ready', () => (app.ready() ? true : undefined), 60_000);
  });

  afterAll(async () => {
    await app?.stop();
    await hubspot?.stop();
  });

  /** Runs an example as a producer team would, with only the settings the document names. */
  async function produce(command: string, args: string[]): Promise<string> {
    const { stdout } = await run(command, args, {
      env: {
        ...process.env,
        KAFKA_BROKERS,
        SCHEMA_REGISTRY_URL: REGISTRY_URL,
        TOPIC: settings.TOPIC_RAW_CALLS,
        TENANT_ID: TENANT,
      },
      timeout: 45_000,
    });
    return stdout.trim();
  }

  const contactWith = (email: string) =>
    waitFor(`the contact ${email} in HubSpot`, () =>
      hubspot.contacts(HUBSPOT_TOKEN).find((contact) => contact.properties.email === email),
    );

  it('holds the subject the document names at the compatibility it states', async () => {
    const response = await fetch(`${REGISTRY_URL}/config/${subject}`);
    const { compatibilityLevel } = (await response.json()) as { compatibilityLevel: string };
    const doc = readFileSync(new URL('../../docs/producing-events.md', import.meta.url), 'utf8');
    expect(doc).toContain(`| compatibility | \`${compatibilityLevel}\``);
  });

  it('delivers the TypeScript producer’s call (kafkajs) to the CRM, on the contact’s call timeline', async () => {
    const callId = await produce(process.execPath, [
      '--import',
      'tsx',
      'examples/producers/typescript/produce.ts',
    ]);
    expect(callId).toMatch(/^example-ts-/);
    const contact = await contactWith('jordan.rivera@example.com');
    expect(contact.properties).toMatchObject({
      firstname: 'Jordan',
      lastname: 'Rivera',
      lead_source: 'example-typescript-producer',
      lead_source_detail: 'upstream_call',
    });
    await waitFor('the call on the timeline', () => hubspot.calls(HUBSPOT_TOKEN)[0]);
    // Written once the enricher's output is acknowledged, which races the later stages: waited for.
    const logged = await waitFor("the enricher's line for the call", () =>
      captured.lines().find((line) => line.call_id === callId && line.stage === 'enricher'),
    );
    expect(logged).toMatchObject({
      producer: 'example-typescript-producer',
      correlation_id: expect.any(String),
    });
  });

  it('delivers the Python producer’s lead (confluent-kafka AvroSerializer) to the CRM', async () => {
    const callId = await produce('python3', ['examples/producers/python/produce.py']);
    expect(callId).toMatch(/^example-py-/);
    const contact = await contactWith('priya.natarajan@example.com');
    expect(contact.properties).toMatchObject({
      firstname: 'Priya',
      lastname: 'Natarajan',
      lead_source: 'example-python-producer',
      lead_source_detail: 'upstream_lead',
    });
  });
});
