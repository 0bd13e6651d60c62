import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryTenantSource } from '../../../src/config/tenants/directory-tenant-source.js';
import { deliveryStage } from '../../../src/consumers/delivery.js';
import type { CrmAdapter } from '../../../src/crm/crm-adapter.js';
import { CrmAdapterRegistry } from '../../../src/crm/crm-adapter-registry.js';
import { TenantRateLimiter } from '../../../src/crm/rate-limits/tenant-rate-limiter.js';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import type { CrmCommand } from '../../../src/events/crm-command.js';
import { AvroSerde } from '../../../src/kafka/avro-serde.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { OutboundPolicy } from '../../../src/outbound/outbound-policy.js';
import { EnvSecretResolver } from '../../../src/secrets/env-secret-resolver.js';
import { emulatorOutbound } from '../../support/emulator-outbound.js';
import { captureLogLines } from '../../support/log-capture.js';

const command: CrmCommand = {
  idempotency_key: 'k1',
  tenant_id: 'tenant_demo_kitchens',
  call_id: 'CAL123',
  crm_type: 'hubspot',
  operations: [],
  duplicate_detection: null,
  triggered_workflows: [],
  created_at: 0,
  contact_key: null,
};

let crm: Server;
let crmUrl: string;

beforeAll(async () => {
  crm = createServer((request, response) => {
    response.statusCode = request.url === '/throttled' ? 429 : 200;
    response.end('{}');
  });
  await new Promise<void>((resolve) => crm.listen(0, '127.0.0.1', resolve));
  crmUrl = `http://127.0.0.1:${(crm.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => crm.close(() => resolve())));

type HttpGet = (url: string) => Promise<number>;

const withFetch: HttpGet = async (url) => {
  const response = await fetch(url);
  await response.text();
  return response.status;
};

/** node:http, the transport under node-fetch and axios (the HubSpot, Salesforce and Pipedrive SDKs). */
const withNodeHttp: HttpGet = (url) =>
  new Promise((resolve, reject) => {
    get(url, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    }).on('error', reject);
  });

/** A CRM port that, like the real adapters, waits for its rate limiter and then calls its API. */
function adapterCalling(paths: string[], limiter: TenantRateLimiter, http: HttpGet = withFetch): CrmAdapter {
  return {
    type: 'hubspot',
    async execute(delivered) {
      for (const path of paths) {
        await limiter.acquire(delivered.tenant_id);
        const status = await http(`${crmUrl}${path}`);
        if (status === 429) throw new LeadstreamError('crm_rate_limited', 'slow down');
      }
      return { outcomes: [{ ref: 'contact', object_type: 'contacts', id: '1', action: 'created' }] };
    },
  };
}

async function stageWith(adapter: CrmAdapter, tenantLabel = true) {
  const out = captureLogLines();
  const metrics = new Metrics({ processMetrics: false, tenantLabel });
  const stage = deliveryStage({
    serde: new AvroSerde({ url: 'http://127.0.0.1:1' }),
    tenants: await DirectoryTenantSource.load('examples/tenants', OutboundPolicy.parse('127.0.0.1:8089')),
    adapters: new CrmAdapterRegistry([adapter]),
    secrets: new EnvSecretResolver({}),
    metrics,
    logger: createLogger({ destination: out.stream }),
    outbound: emulatorOutbound,
    topics: { input: 'crm-commands' },
  });
  return { stage, metrics, lines: out.lines };
}

describe('delivery telemetry', () => {
  it('logs a delivery the way the guide queries it: workflow_step=crm_push AND status=success', async () => {
    const { stage, lines } = await stageWith(
      adapterCalling(['/ok'], new TenantRateLimiter({ requests: 10, perMs: 1000 })),
    );
    await stage.handle(command);
    expect(lines()).toContainEqual(
      expect.objectContaining({
        severity: 'INFO',
        workflow_step: 'crm_push',
        status: 'success',
        tenant_id: 'tenant_demo_kitchens',
        call_id: 'CAL123',
        crm: 'hubspot',
      }),
    );
  });

  it.each([
    ['fetch', withFetch],
    ['node:http', withNodeHttp],
  ])(
    'counts pushes by CRM, status and tenant, and records CRM requests, 429s and rate-limit waits (%s)',
    async (_name, http) => {
      // A stopped clock: the bucket never refills by itself, so the 2nd and 3rd requests always wait.
      const limiter = new TenantRateLimiter({ requests: 1, perMs: 20 }, () => 0);
      const { stage, metrics } = await stageWith(adapterCalling(['/ok', '/ok', '/throttled'], limiter, http));
      await expect(stage.handle(command)).rejects.toThrow('slow down');
      stage.onAttemptFailed?.(command, new LeadstreamError('crm_rate_limited', 'slow down'), true);
      const text = await metrics.registry.metrics();
      expect(text).toContain('leadstream_crm_requests_total{crm="hubspot",status_code="200"} 2');
      expect(text).toContain('leadstream_crm_requests_total{crm="hubspot",status_code="429"} 1');
      expect(text).toContain('leadstream_crm_rate_limited_total{crm="hubspot"} 1');
      expect(text).toContain('leadstream_crm_request_duration_seconds_count{crm="hubspot"} 3');
      expect(text).toContain('leadstream_crm_rate_limit_wait_seconds_count{crm="hubspot"} 2');
      expect(text).toContain(
        'leadstream_crm_pushes_total{crm="hubspot",status="retry",tenant="tenant_demo_kitchens"} 1',
      );
    },
  );

  it('tells failed (given up) from dead_lettered (then written to the dead-letter topic)', async () => {
    const { stage, metrics } = await stageWith(
      adapterCalling([], new TenantRateLimiter({ requests: 1, perMs: 50 })),
      false,
    );
    await stage.handle(command);
    const rejected = new LeadstreamError('crm_rejected', 'bad property');
    stage.onAttemptFailed?.(command, rejected, false);
    stage.onDeadLettered?.(command, rejected);
    const text = await metrics.registry.metrics();
    expect(text).toContain('leadstream_crm_pushes_total{crm="hubspot",status="success"} 1');
    expect(text).toContain('leadstream_crm_pushes_total{crm="hubspot",status="failed"} 1');
    expect(text).toContain('leadstream_crm_pushes_total{crm="hubspot",status="dead_lettered"} 1');
    expect(text).not.toContain('tenant=');
  });

  it('counts a request the CRM never answered as status_code="error"', async () => {
    const unreachable: CrmAdapter = {
      type: 'hubspot',
      async execute() {
        await new Promise((resolve) =>
          get('http://127.0.0.1:1/')
            .on('error', () => undefined)
            .on('close', resolve),
        );
        throw new LeadstreamError('crm_unavailable', 'HubSpot could not be reached');
      },
    };
    const { stage, metrics } = await stageWith(unreachable);
    await expect(stage.handle(command)).rejects.toThrow('could not be reached');
    expect(await metrics.registry.metrics()).toContain(
      'leadstream_crm_requests_total{crm="hubspot",status_code="error"} 1',
    );
  });

  it('leaves HTTP requests made outside a delivery unrecorded', async () => {
    const { metrics } = await stageWith(
      adapterCalling([], new TenantRateLimiter({ requests: 1, perMs: 50 })),
    );
    await (await fetch(`${crmUrl}/ok`)).text();
    expect(await metrics.registry.metrics()).not.toContain('leadstream_crm_requests_total{');
  });
});
