import { describe, expect, it } from 'vitest';
import type { CrmOperation } from '../../../../src/events/crm-command.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { failureOf } from '../../../support/failure-of.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  command,
  leadOperation,
  REFRESH_TOKEN,
  startHarness,
} from './adapter-harness.js';

const start = harnessPerTest(startHarness);

const JANE = { Last_Name: 'Doe', First_Name: 'Jane', Phone: '+15125550143', City: 'Los Angeles' };

const assignOwner: CrmOperation = {
  ref: 'workflow_assign_owner',
  kind: 'workflow_action',
  object_type: 'Leads',
  payload_json: '{}',
  link_to: 'lead',
  action: 'assign_owner',
};

describe('ZohoAdapter: duplicate action skip', () => {
  it('leaves a lead Zoho has with the caller’s phone untouched and reports it skipped', async () => {
    const h = await start();
    const existing = h.emulator.leads.insert({ Last_Name: 'Doe', Phone: '+15125550143', City: 'Austin' });
    const result = await h.adapter.execute(
      command('s1', [leadOperation(JANE), assignOwner], 'skip'),
      h.context,
    );
    expect(result.outcomes).toEqual([
      { ref: 'lead', object_type: 'Leads', id: existing.id, action: 'skipped' },
      { ref: 'workflow_assign_owner', object_type: 'Leads', id: existing.id, action: 'skipped' },
    ]);
    expect(h.emulator.upsertRequests).toHaveLength(0);
    expect(h.emulator.records()).toEqual([existing]);
    expect(existing.fields.City).toBe('Austin');
    expect(h.emulator.searchRequests).toEqual(['/crm/v8/Leads/search?phone=%2B15125550143']);
  });

  it('finds the lead by email when the phone is new', async () => {
    const h = await start();
    const existing = h.emulator.leads.insert({ Last_Name: 'Doe', Email: 'jane@example.com' });
    const result = await h.adapter.execute(
      command('s2', [leadOperation({ ...JANE, Phone: '+12125551234', Email: 'Jane@Example.com' })], 'skip'),
      h.context,
    );
    expect(result.outcomes[0]).toMatchObject({ id: existing.id, action: 'skipped' });
    expect(h.emulator.searchRequests).toEqual([
      '/crm/v8/Leads/search?phone=%2B12125551234',
      '/crm/v8/Leads/search?email=Jane%40Example.com',
    ]);
    expect(h.emulator.upsertRequests).toHaveLength(0);
  });

  it('creates the lead of a new caller, and skips it when the caller calls again', async () => {
    const h = await start();
    const first = await h.adapter.execute(command('s3', [leadOperation(JANE)], 'skip'), h.context);
    expect(first.outcomes[0]?.action).toBe('created');
    const again = await h.adapter.execute(
      command('s4', [leadOperation({ ...JANE, City: 'Pasadena' })], 'skip'),
      h.context,
    );
    expect(again.outcomes[0]).toMatchObject({ id: first.outcomes[0]?.id, action: 'skipped' });
    expect(h.emulator.records()).toHaveLength(1);
    expect(h.emulator.records()[0]?.fields.City).toBe('Los Angeles');
  });

  it('still updates a returning caller’s lead under update_existing, without searching', async () => {
    const h = await start();
    const existing = h.emulator.leads.insert({ Last_Name: 'Doe', Phone: '+15125550143', City: 'Austin' });
    const result = await h.adapter.execute(command('s5', [leadOperation(JANE)]), h.context);
    expect(result.outcomes[0]).toMatchObject({ id: existing.id, action: 'updated' });
    expect(existing.fields.City).toBe('Los Angeles');
    expect(h.emulator.searchRequests).toHaveLength(0);
  });

  it('classifies a failed search like any Zoho call, and writes nothing', async () => {
    const h = await start();
    h.emulator.rateLimitNext(1, 3);
    const limited = await failureOf(
      h.adapter.execute(command('s6', [leadOperation(JANE)], 'skip'), h.context),
    );
    expect(limited).toMatchObject({ type: 'crm_rate_limited', retryable: true, retryAfterMs: 3_000 });
    expect(limited.details.operation).toBe('Leads.search');
    h.emulator.failNext(1, 502);
    expect(
      await failureOf(h.adapter.execute(command('s6', [leadOperation(JANE)], 'skip'), h.context)),
    ).toMatchObject({ type: 'crm_unavailable', retryable: true });
    expect(h.emulator.upsertRequests).toHaveLength(0);
  });

  it('fails permanently when the OAuth client may create leads but not read them', async () => {
    const h = await start({
      emulator: {
        clients: [
          {
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
            refreshTokens: [REFRESH_TOKEN],
            scopes: ['ZohoCRM.modules.leads.CREATE'],
          },
        ],
      },
    });
    const error = await failureOf(h.adapter.execute(command('s7', [leadOperation(JANE)], 'skip'), h.context));
    expect(error).toMatchObject({ type: 'crm_auth_error', retryable: false });
    expect(error.details.error_code).toBe('OAUTH_SCOPE_MISMATCH');
  });
});
