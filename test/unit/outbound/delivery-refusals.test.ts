import { lookup } from 'node:dns';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrmConfig, TenantConfig } from '../../../src/config/tenants/tenant-config.js';
import type { ConfiguredCrmContext } from '../../../src/crm/crm-adapter.js';
import { CustomRestAdapter } from '../../../src/crm/custom/custom-rest-adapter.js';
import { OutboundGuard, type Resolve } from '../../../src/outbound/outbound-guard.js';
import { OutboundPolicy } from '../../../src/outbound/outbound-policy.js';
import { harnessPerTest } from '../../support/crm-adapter-tests.js';
import { failureOf } from '../../support/failure-of.js';
import { guideCrmConfig } from '../../support/guide-fixtures.js';
import { commandFor, quiet, secret, serversPerTest, tenant } from '../crm/custom/custom-harness.js';
import { command, contactOperation, startHarness as startHubSpot } from '../crm/hubspot/adapter-harness.js';
import {
  itemOperation,
  command as mondayCommand,
  startHarness as startMonday,
} from '../crm/monday/adapter-harness.js';
import { call, startHarness as startPipedrive } from '../crm/pipedrive/adapter-harness.js';
import {
  leadOperation,
  command as salesforceCommand,
  startHarness as startSalesforce,
} from '../crm/salesforce/adapter-harness.js';
import {
  startHarness as startZoho,
  command as zohoCommand,
  leadOperation as zohoLead,
} from '../crm/zoho/adapter-harness.js';

/**
 * crm.example.test resolves to 127.0.0.1, where the test CRMs listen: what a tenant naming a host whose
 * DNS answers (or is rebound to) a loopback address would reach without the guard. api.example.test
 * resolves to 127.0.0.2, another loopback address.
 */
const NAME = 'crm.example.test';
const toLoopback: Resolve = (hostname, options, callback) =>
  lookup(
    hostname === 'api.example.test' ? '127.0.0.2' : hostname === NAME ? '127.0.0.1' : hostname,
    options,
    callback,
  );

const guards: OutboundGuard[] = [];
function guard(policy: OutboundPolicy): OutboundGuard {
  const made = new OutboundGuard(policy, toLoopback);
  guards.push(made);
  return made;
}
afterEach(async () => {
  await Promise.all(guards.splice(0).map((made) => made.close()));
});

const renamed = (url: string, name = NAME) => url.replace('127.0.0.1', name);

/** The harness's context with the tenant's CRM settings changed and the guard given. */
function changed<C extends CrmConfig>(
  context: ConfiguredCrmContext<C>,
  crm: Record<string, unknown>,
  outbound: OutboundGuard,
): ConfiguredCrmContext<C> {
  const config = { ...context.config, ...crm } as C;
  const tenant: TenantConfig = { ...context.tenant, crm_config: config };
  return { ...context, tenant, config, outbound };
}
const REFUSED = /^outbound policy: crm\.example\.test resolves to 127\.0\.0\.1, a loopback address, refused/;

async function expectRefused(delivery: Promise<unknown>, reason = REFUSED): Promise<void> {
  const error = await failureOf(delivery);
  expect(error.type, error.message).toBe('outbound_url_refused');
  expect(error.retryable).toBe(false);
  expect(error.message).toMatch(reason);
}

describe('delivery to a CRM whose address the outbound policy refuses', () => {
  const server = serversPerTest();

  it('custom REST (fetch): refused before anything is sent; sent once the host is allowed', async () => {
    const crm = await server();
    const config = (base: string): TenantConfig =>
      tenant({
        ...guideCrmConfig('custom-rest'),
        api_base_url: `${base}/v1`,
        authentication: { type: 'bearer', token: secret('crm-token') },
      });
    const send = (base: string, outbound: OutboundGuard) => {
      const tenantConfig = config(base);
      return new CustomRestAdapter().execute(commandFor(tenantConfig), { ...quiet(tenantConfig), outbound });
    };
    const strict = guard(OutboundPolicy.strict);
    await expectRefused(send(renamed(crm.url), strict));
    await expectRefused(send(crm.url, strict), /^outbound policy: 127\.0\.0\.1 is a loopback address/);
    await expectRefused(
      send(crm.url.replace('127.0.0.1', 'localhost'), guard(OutboundPolicy.strict)),
      /localhost resolves to (127\.0\.0\.1|::1), a loopback address/,
    );
    expect(crm.requests).toHaveLength(0);

    const result = await send(renamed(crm.url), guard(OutboundPolicy.parse(NAME)));
    expect(result.outcomes.map((outcome) => outcome.action)).toEqual(['created']);
    expect(crm.requests).toHaveLength(1);
  });

  it('custom REST: the OAuth2 token request is refused too, before the client secret is sent', async () => {
    const crm = await server({
      type: 'oauth2',
      clientId: 'client-leadstream',
      clientSecret: 'client-secret-0a1b2c3d',
      expiresIn: 3600,
    });
    const tenantConfig = tenant({
      ...guideCrmConfig('custom-rest'),
      api_base_url: `${renamed(crm.url)}/v1`,
      authentication: {
        type: 'oauth2_client_credentials',
        token_url: `${renamed(crm.url)}/oauth/token`,
        client_id: secret('crm-client-id'),
        client_secret: secret('crm-client-secret'),
      },
    });
    await expectRefused(
      new CustomRestAdapter().execute(commandFor(tenantConfig), {
        ...quiet(tenantConfig),
        outbound: guard(OutboundPolicy.strict),
      }),
    );
    expect(crm.requests).toHaveLength(0);
  });

  it("HubSpot (the SDK's node-fetch): refused before anything is sent; sent once the host is allowed", async () => {
    const { emulator, adapter, context } = await start.hubspot();
    const at = (outbound: OutboundGuard) => changed(context, { base_url: renamed(emulator.url) }, outbound);
    const deliver = (outbound: OutboundGuard) =>
      adapter.execute(command('c1', [contactOperation({ phone: '+15125550143' })]), at(outbound));
    await expectRefused(deliver(guard(OutboundPolicy.strict)));
    expect(emulator.state.requests).toHaveLength(0);

    await deliver(guard(OutboundPolicy.parse(`${NAME}:${new URL(emulator.url).port}`)));
    expect(emulator.state.requests.length).toBeGreaterThan(0);
  });

  it("Pipedrive (the SDK's axios): refused before anything is sent; sent once the host is allowed", async () => {
    const { emulator, adapter, context, commandFor: pipedriveCommand } = await start.pipedrive();
    const at = (outbound: OutboundGuard) =>
      changed(context, { api_base_url: `${renamed(emulator.url)}/api/v2` }, outbound);
    await expectRefused(adapter.execute(pipedriveCommand(call('c1')), at(guard(OutboundPolicy.strict))));
    expect(emulator.requests).toHaveLength(0);

    await adapter.execute(pipedriveCommand(call('c1')), at(guard(OutboundPolicy.parse('127.0.0.0/8'))));
    expect(emulator.persons()).toHaveLength(1);
  });
});

describe('delivery to the CRMs reached through fetch and jsforce, refused the same way', () => {
  it('Salesforce: the token request to login_url, then the API calls jsforce makes to instance_url', async () => {
    const { emulator, adapter, context } = await start.salesforce();
    const deliver = (crm: Record<string, unknown>, outbound: OutboundGuard) =>
      adapter.execute(
        salesforceCommand('c1', [leadOperation({ Phone: '+15125550143', LastName: 'Doe', Company: 'Acme' })]),
        changed(context, crm, outbound),
      );
    await expectRefused(deliver({ login_url: renamed(emulator.url) }, guard(OutboundPolicy.strict)));
    // The token comes from the allowed login host; api.example.test resolves to 127.0.0.2, not allowed.
    await expectRefused(
      deliver(
        { instance_url: renamed(emulator.url, 'api.example.test') },
        guard(OutboundPolicy.parse('127.0.0.1')),
      ),
      /^outbound policy: api\.example\.test resolves to 127\.0\.0\.2, a loopback address/,
    );
    // Only the second delivery's token request reached the (allowed) login host; no API request came.
    expect(emulator.requests.map((request) => request.path)).toEqual(['/services/oauth2/token']);

    await deliver({}, guard(OutboundPolicy.parse('127.0.0.1')));
    expect(emulator.leads()).toHaveLength(1);
  });

  it('Monday.com: api_url', async () => {
    const h = await start.monday();
    await expectRefused(
      h.adapter.execute(
        mondayCommand('c1', [itemOperation()]),
        changed(h.context, { api_url: renamed(h.emulator.apiUrl) }, guard(OutboundPolicy.strict)),
      ),
    );
  });

  it('Zoho: the accounts server', async () => {
    const h = await start.zoho();
    await expectRefused(
      h.adapter.execute(
        zohoCommand('c1', [zohoLead({ Last_Name: 'Doe', Phone: '+15125550143' })]),
        changed(h.context, { accounts_url: renamed(h.emulator.url) }, guard(OutboundPolicy.strict)),
      ),
    );
  });
});

const start = {
  hubspot: harnessPerTest(startHubSpot),
  pipedrive: harnessPerTest(startPipedrive),
  salesforce: harnessPerTest(startSalesforce),
  monday: harnessPerTest(startMonday),
  zoho: harnessPerTest(startZoho),
};
