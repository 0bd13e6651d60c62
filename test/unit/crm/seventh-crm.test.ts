import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantConfig } from '../../../src/config/tenants/tenant-config.js';
import { tenantConfigSchema } from '../../../src/config/tenants/tenant-config.js';
import { deliveryStage } from '../../../src/consumers/delivery.js';
import { type CrmCatalog, crmCatalog, crmConfigSchemaOf } from '../../../src/crm/catalog.js';
import { CrmAdapterRegistry } from '../../../src/crm/crm-adapter-registry.js';
import { defaultCrmAdapters } from '../../../src/crm/registry.js';
import { type CrmCommand, type CrmType, idempotencyKey } from '../../../src/events/crm-command.js';
import { AvroSerde } from '../../../src/kafka/avro-serde.js';
import { compileCommandBuilder } from '../../../src/mapping/crm-command-builders.js';
import { MappingIssues } from '../../../src/mapping/mapping-issues.js';
import { buildMappingView } from '../../../src/mapping/mapping-view.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { EnvSecretResolver } from '../../../src/secrets/env-secret-resolver.js';
import type { Clock } from '../../../src/time/clock.js';
import { acmeDefinition } from '../../fixtures/crm/acme/definition.js';
import { emulatorOutbound } from '../../support/emulator-outbound.js';
import { failureOf } from '../../support/failure-of.js';
import { guideEnrichedCall } from '../../support/guide-fixtures.js';

/** The shipped CRMs and Acme, whose folder (test/fixtures/crm/acme/) is all it took besides this line. */
const catalog = { ...crmCatalog, acme: acmeDefinition } satisfies CrmCatalog<CrmType | 'acme'>;
const tenantSchema = tenantConfigSchema.extend({ crm_config: crmConfigSchemaOf(catalog) });

interface Received {
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** Acme's API: POST /leads answers 201 with an id, or `status` when a test sets one. */
function acmeServer() {
  const received: Received[] = [];
  const state = { status: 201 };
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body: JSON.parse(raw) });
      response.writeHead(state.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(state.status === 201 ? { id: `L-${received.length}` } : { error: 'down' }));
    });
  });
  return { server, received, state };
}

const acme = acmeServer();
let baseUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => acme.server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(acme.server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => acme.server.close(resolve)));

const clock: Clock = { now: () => new Date('2026-12-02T08:00:00Z') };

function acmeTenant() {
  return tenantSchema.parse({
    tenant_id: 'tenant_acme',
    crm_config: { type: 'acme', base_url: baseUrl, api_key: 'secret:projects/p/secrets/acme-key/versions/1' },
  });
}

/** The command the mapper makes of the guide's call for an Acme tenant. */
function acmeCommand(tenant: ReturnType<typeof acmeTenant>): CrmCommand {
  const issues = new MappingIssues();
  const build = compileCommandBuilder(tenant.crm_config, issues, catalog);
  expect(issues.errors).toEqual([]);
  const event = guideEnrichedCall();
  const { operations, triggered } = build(event, { view: buildMappingView(event), clock });
  return {
    idempotency_key: idempotencyKey(tenant.tenant_id, event.call.call_id),
    tenant_id: tenant.tenant_id,
    call_id: event.call.call_id,
    // The wire's CrmType enum gets `acme` when such a CRM ships; a fixture CRM never travels through Avro.
    crm_type: 'acme' as CrmType,
    operations,
    duplicate_detection: null,
    triggered_workflows: triggered,
    created_at: clock.now().getTime(),
    contact_key: null,
  };
}

function acmeDelivery(tenant: ReturnType<typeof acmeTenant>) {
  // The tenant source's type knows the shipped CRMs' configurations only.
  const stored = tenant as unknown as TenantConfig;
  return deliveryStage({
    serde: new AvroSerde({ url: 'http://127.0.0.1:1' }),
    tenants: { get: async () => stored, findByCallRailCompany: async () => undefined },
    adapters: new CrmAdapterRegistry(defaultCrmAdapters({ clock }, catalog)),
    secrets: new EnvSecretResolver({ LEADSTREAM_SECRET_ACME_KEY: 'acme-key-71' }),
    metrics: new Metrics({ processMetrics: false }),
    logger: createLogger({ level: 'silent' }),
    outbound: emulatorOutbound,
    topics: { input: 'crm-commands' },
  });
}

describe('a seventh CRM, added as a folder and a catalog entry', () => {
  it('validates its tenants’ crm_config with its own schema', () => {
    expect(acmeTenant().crm_config).toMatchObject({ type: 'acme', base_url: baseUrl });
    const missing = tenantSchema.safeParse({
      tenant_id: 't',
      crm_config: { type: 'acme', base_url: baseUrl },
    });
    expect(missing.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['crm_config.api_key']);
  });

  it('delivers the mapped lead to its API through the delivery stage', async () => {
    const tenant = acmeTenant();
    await acmeDelivery(tenant).handle(acmeCommand(tenant));

    expect(acme.received).toHaveLength(1);
    expect(acme.received[0]?.body).toEqual({ name: 'Jane Doe', phone: '+15125550143' });
    expect(acme.received[0]?.headers.authorization).toBe('Bearer acme-key-71');
  });

  it('fails as the shared status rule says when its API is down', async () => {
    const tenant = acmeTenant();
    acme.state.status = 503;
    const error = await failureOf(acmeDelivery(tenant).handle(acmeCommand(tenant)));
    acme.state.status = 201;

    expect(error.type).toBe('crm_unavailable');
    expect(error.retryable).toBe(true);
  });
});
