import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseOperationPayload } from '../../../src/crm/operation-payload.js';
import type { CrmOperation } from '../../../src/events/crm-command.js';

const schema = z.strictObject({ properties: z.record(z.string(), z.string()), title: z.string() });

function operation(payload_json: string): CrmOperation {
  return {
    ref: 'contact',
    kind: 'upsert_contact',
    object_type: 'contacts',
    payload_json,
    link_to: null,
    action: null,
  };
}

describe('parseOperationPayload', () => {
  it('returns the payload the schema reads', () => {
    const payload = parseOperationPayload(
      operation('{"properties":{"phone":"+15125550100"},"title":"x"}'),
      schema,
    );
    expect(payload).toEqual({ properties: { phone: '+15125550100' }, title: 'x' });
  });

  it('refuses a payload permanently, naming the operation and every problem found', () => {
    const attempt = () => parseOperationPayload(operation('{"properties":{"phone":5}}'), schema);
    expect(attempt).toThrow(
      expect.objectContaining({
        type: 'validation_error',
        retryable: false,
        details: { ref: 'contact', kind: 'upsert_contact', object_type: 'contacts' },
      }),
    );
    expect(attempt).toThrow(
      /^operation contact \(upsert_contact\): payload is invalid: properties\.phone: .+; title: /,
    );
  });

  it('refuses text that is not JSON as a permanent validation error', () => {
    expect(() => parseOperationPayload(operation('{"properties":'), schema)).toThrow(
      expect.objectContaining({
        type: 'validation_error',
        retryable: false,
        message: 'payload_json of operation contact is not JSON',
      }),
    );
  });
});
