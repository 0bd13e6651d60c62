import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEY_FIELD } from '../../../../src/crm/salesforce/idempotency-key-field.js';
import { provisionSalesforce } from '../../../../src/crm/salesforce/provisioning.js';
import { field } from '../../../emulators/salesforce/object-definitions.js';
import { harnessPerTest } from '../../../support/crm-adapter-tests.js';
import { type Harness, startHarness } from './adapter-harness.js';
import { crmTarget } from './crm-target.js';

const start = harnessPerTest(startHarness);

const TOOLING_CREATE = '/services/data/v62.0/tooling/sobjects/CustomField';

const provision = (harness: Harness) => provisionSalesforce(crmTarget(harness));

describe('leadstream crm provision for Salesforce: the idempotency key field', () => {
  it('creates the unique external id through the Tooling API, and asks for field access until an admin grants it', async () => {
    const h = await start();
    const created = await provision(h);
    expect(created).toMatchObject({
      needsDecision: true,
      report: {
        idempotency_key_field: {
          field: `Lead.${IDEMPOTENCY_KEY_FIELD}`,
          status: 'created',
          editable_by_integration_user: false,
          action: expect.stringContaining('Set Field-Level Security'),
        },
      },
    });
    expect(h.emulator.requestsTo('POST', TOOLING_CREATE).map((r) => r.body)).toEqual([
      {
        FullName: `Lead.${IDEMPOTENCY_KEY_FIELD}`,
        Metadata: expect.objectContaining({
          type: 'Text',
          length: 80,
          unique: true,
          externalId: true,
          caseSensitive: true,
        }),
      },
    ]);

    // Run again before the grant: Salesforce answers DUPLICATE_DEVELOPER_NAME, which is no failure.
    const again = await provision(h);
    expect(again).toMatchObject({
      needsDecision: true,
      report: { idempotency_key_field: { status: 'existing', editable_by_integration_user: false } },
    });
    expect(h.emulator.requestsTo('POST', TOOLING_CREATE).map((r) => r.status)).toEqual([201, 400]);

    h.emulator.org.grantFieldAccess('Lead', IDEMPOTENCY_KEY_FIELD);
    expect(await provision(h)).toEqual({
      needsDecision: false,
      report: {
        idempotency_key_field: {
          field: `Lead.${IDEMPOTENCY_KEY_FIELD}`,
          status: 'existing',
          editable_by_integration_user: true,
        },
      },
    });
    expect(h.emulator.requestsTo('POST', TOOLING_CREATE)).toHaveLength(2);
  });

  it('reports a field of that name that is no unique external id as a conflict, and creates nothing', async () => {
    const h = await start();
    h.emulator.org.defineCustomField(
      'Lead',
      field({ name: IDEMPOTENCY_KEY_FIELD, type: 'string', length: 80 }),
    );
    h.emulator.org.grantFieldAccess('Lead', IDEMPOTENCY_KEY_FIELD);
    const outcome = await provision(h);
    expect(outcome).toMatchObject({
      needsDecision: true,
      report: {
        idempotency_key_field: {
          status: 'conflict',
          action: expect.stringContaining('not both Unique and an External ID'),
        },
      },
    });
    expect(h.emulator.requestsTo('POST', TOOLING_CREATE)).toHaveLength(0);
  });
});
