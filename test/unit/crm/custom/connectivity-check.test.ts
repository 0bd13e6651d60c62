import { describe, expect, it } from 'vitest';
import { tenantConfigSchema } from '../../../../src/config/tenants/tenant-config.js';
import type { CustomCrmConfig } from '../../../../src/crm/custom/config.js';
import { checkCustomConnectivity } from '../../../../src/crm/custom/connectivity-check.js';
import { createLogger } from '../../../../src/observability/logger.js';
import { systemClock } from '../../../../src/time/clock.js';
import { emulatorOutbound } from '../../../support/emulator-outbound.js';
import { type CustomCrmServer, startCustomCrmServer } from './custom-crm-server.js';
import { SECRETS, secret, serversPerTest, TOKEN } from './custom-harness.js';

const crm = serversPerTest();

function config(server: CustomCrmServer, overrides: Record<string, unknown>): CustomCrmConfig {
  const tenant = tenantConfigSchema.parse({
    tenant_id: 'tenant_acme',
    crm_config: {
      type: 'custom',
      api_base_url: `${server.url}/v1`,
      authentication: { type: 'bearer', token: secret('crm-token') },
      endpoints: { create_contact: { method: 'POST', path: '/contacts' } },
      health_check: { path: '/contacts?limit=1' },
      ...overrides,
    },
  });
  if (tenant.crm_config.type !== 'custom') throw new Error('expected a custom CRM config');
  return tenant.crm_config;
}

const check = (crmConfig: CustomCrmConfig) =>
  checkCustomConnectivity({
    tenantId: 'tenant_acme',
    config: crmConfig,
    secrets: SECRETS,
    clock: systemClock,
    timeoutMs: 2_000,
    outbound: emulatorOutbound,
    logger: createLogger({ level: 'silent' }),
  });

describe('leadstream crm test for a custom REST CRM', () => {
  it('tries the credentials against the configured health check', async () => {
    const server = await crm();
    const result = await check(config(server, {}));
    expect(result).toEqual({
      ok: true,
      message: 'OK: GET /contacts?limit=1 answered 200 with these credentials',
    });
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('says the CRM refused the credentials, without quoting them', async () => {
    const server = await crm();
    const result = await check(
      config(server, { authentication: { type: 'bearer', token: secret('wrong-token') } }),
    );
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^the CRM refused the credentials: check crm_config.authentication/);
    expect(result.message).not.toContain('not-the-token-4242');
  });

  it('names a credential whose secret cannot be read', async () => {
    const server = await crm();
    const result = await check(
      config(server, { authentication: { type: 'bearer', token: secret('missing-token') } }),
    );
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^a credential could not be read from its secret reference/);
  });

  it('proves OAuth2 client credentials by getting a token, then uses it', async () => {
    const server = await crm({
      type: 'oauth2',
      clientId: 'client-leadstream',
      clientSecret: 'client-secret-0a1b2c3d',
      expiresIn: 3600,
    });
    const oauth = {
      type: 'oauth2_client_credentials',
      token_url: `${server.url}/oauth/token`,
      client_id: secret('crm-client-id'),
      client_secret: secret('crm-client-secret'),
    };
    expect((await check(config(server, { authentication: oauth }))).ok).toBe(true);
    expect(server.tokenRequests).toBe(1);
    const refused = await check(
      config(server, { authentication: { ...oauth, client_secret: secret('wrong-token') } }),
    );
    expect(refused.ok).toBe(false);
    expect(refused.message).not.toContain('not-the-token-4242');
  });

  it('says the address is wrong when the API has no such path', async () => {
    const server = await crm();
    const result = await check(config(server, { health_check: { path: '/no-such-thing' } }));
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^the CRM has no such address/);
  });

  it('without a health check, only says the credentials resolved', async () => {
    const server = await crm();
    const result = await check(config(server, { health_check: undefined }));
    expect(result).toEqual({
      ok: true,
      message: 'credentials (bearer) resolved; add crm_config.health_check to try them against the API',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('says the CRM cannot be reached when nothing listens at api_base_url', async () => {
    const server = await startCustomCrmServer({ auth: { type: 'bearer', token: TOKEN } });
    const address = server.url;
    await server.close();
    const result = await check(config({ ...server, url: address }, {}));
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^the CRM could not be reached/);
  });
});
