import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DirectoryTenantSource } from '../../../src/config/tenants/directory-tenant-source.js';
import { type TenantConfig, tenantConfigSchema } from '../../../src/config/tenants/tenant-config.js';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import type { RawCall } from '../../../src/events/raw-call.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Metrics } from '../../../src/observability/metrics.js';
import { buildGateway } from '../../../src/producers/gateway/gateway.js';
import type { GatewayDeps } from '../../../src/producers/gateway/gateway-deps.js';
import type { RawCallPublisher } from '../../../src/producers/raw-call-publisher.js';
import { EnvSecretResolver } from '../../../src/secrets/env-secret-resolver.js';
import { fixedClock } from '../../../src/time/clock.js';

export const SIGNING_TOKEN = 'callrail-token-for-acme';
export const FORM_KEY = 'form-key-for-acme';
export const FORM_HMAC_SECRET = 'form-hmac-secret-for-acme';
export const NOW = '2026-11-25T17:20:00.000Z';

const tenant = (id: string, extra: Record<string, unknown>): TenantConfig =>
  tenantConfigSchema.parse({ tenant_id: id, crm_config: { type: 'hubspot', api_token: 'token' }, ...extra });

export const TENANTS = [
  tenant('tenant_your_company', {
    callrail: {
      company_ids: ['12345', 'COM8154748ae6bd4e278a7cddd38a662f4f'],
      signing_secret: 'secret:projects/p/secrets/acme-callrail/versions/latest',
    },
    forms: { api_key: 'secret:projects/p/secrets/acme-forms/versions/latest' },
  }),
  tenant('tenant_fresh', {
    callrail: {
      company_ids: ['777'],
      signing_secret: SIGNING_TOKEN,
      freshness_window_seconds: 300,
    },
  }),
  tenant('tenant_browser_forms', { forms: { allowed_origins: ['https://www.acme-remodeling.com'] } }),
  tenant('tenant_signed_forms', {
    forms: {
      hmac_secret: 'secret:projects/p/secrets/acme-form-hmac/versions/latest',
      requests_per_minute: 3,
    },
  }),
  tenant('tenant_without_forms', {}),
];

/** Records what the gateway published; can be told to fail or to hang like an unavailable cluster. */
export class RecordingPublisher implements RawCallPublisher {
  readonly published: RawCall[] = [];
  behaviour: 'ack' | 'fail' | 'hang' = 'ack';

  async publish(call: RawCall): Promise<void> {
    if (this.behaviour === 'fail') {
      throw new LeadstreamError('kafka_unavailable', 'broker down');
    }
    if (this.behaviour === 'hang') await new Promise(() => undefined);
    this.published.push(call);
  }
}

/** A gateway over TENANTS; `overrides` swap the logger (to read its lines) or the secrets (to fail them). */
export function gateway(overrides: Partial<Pick<GatewayDeps, 'logger' | 'secrets' | 'limits'>> = {}): {
  app: FastifyInstance;
  publisher: RecordingPublisher;
  metrics: Metrics;
} {
  const publisher = new RecordingPublisher();
  const metrics = new Metrics({ processMetrics: false });
  const app = buildGateway({
    tenants: DirectoryTenantSource.fromConfigs(TENANTS),
    secrets:
      overrides.secrets ??
      new EnvSecretResolver({
        LEADSTREAM_SECRET_ACME_CALLRAIL: SIGNING_TOKEN,
        LEADSTREAM_SECRET_ACME_FORMS: FORM_KEY,
        LEADSTREAM_SECRET_ACME_FORM_HMAC: FORM_HMAC_SECRET,
      }),
    publisher,
    metrics,
    logger: overrides.logger ?? createLogger({ level: 'silent' }),
    clock: fixedClock(NOW),
    publishTimeoutMs: 200,
    newId: () => 'generated-id',
    ...(overrides.limits === undefined ? {} : { limits: overrides.limits }),
  });
  return { app, publisher, metrics };
}

export function sha1Signature(body: string, token = SIGNING_TOKEN): string {
  return createHmac('sha1', token).update(body).digest('base64');
}

export function sha256Signature(body: string, token = SIGNING_TOKEN): string {
  return `sha256=${createHmac('sha256', token).update(body).digest('hex')}`;
}

export function postWebhook(app: FastifyInstance, body: string, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/v1/callrail/webhook',
    headers: { 'content-type': 'application/json', signature: sha1Signature(body), ...headers },
    payload: body,
  });
}
