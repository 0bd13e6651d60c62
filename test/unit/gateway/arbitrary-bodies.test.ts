import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gateway, postWebhook } from './gateway-fixture.js';

const known = [
  'resource_id',
  'id',
  'tenant_id',
  'company_id',
  'duration',
  'answered',
  'customer_phone_number',
  'form_data',
];

describe('the webhook route with arbitrary input', () => {
  it('always answers with a deliberate status, never a 5xx', async () => {
    const { app } = gateway();
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.object({ maxDepth: 1 }),
    );
    const body = fc.oneof(
      fc.json(),
      fc
        .dictionary(fc.constantFrom(...known, 'x'), value)
        .map((o) => JSON.stringify({ tenant_id: 'tenant_your_company', ...o })),
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const response = await postWebhook(app, text);
        expect([202, 400, 401, 404]).toContain(response.statusCode);
      }),
      { numRuns: 300 },
    );
  });
});
