import { describe, expect, it } from 'vitest';
import { LeadstreamError } from '../../../src/errors/leadstream-error.js';
import { contractRejectionReason } from '../../../src/events/contract-rejection.js';
import { asRawCall } from '../../../src/events/decoded-events.js';
import { unknownCall } from '../../../src/events/raw-call.js';
import { unframe } from '../../../src/kafka/wire-format.js';

const call = unknownCall({ call_id: 'UP-1', tenant_id: 'tenant_a', received_at: 1_764_000_000_000 });

function rejectionOf(thrower: () => unknown): { message: string; reason: string | undefined } {
  try {
    thrower();
  } catch (error) {
    if (!(error instanceof LeadstreamError)) throw error;
    return { message: error.message, reason: contractRejectionReason(error) };
  }
  throw new Error('accepted');
}

describe('a raw-calls record that breaks the producer contract', () => {
  it('is refused naming the field, with a bounded reason for the metric', () => {
    expect(rejectionOf(() => asRawCall({ ...call, call_id: '' }))).toEqual({
      message: 'RawCall call_id is empty',
      reason: 'empty_call_id',
    });
    expect(rejectionOf(() => asRawCall({ ...call, source_name: 'Acme Chat' }))).toEqual({
      message: 'RawCall source_name "Acme Chat" does not match ^[a-z0-9][a-z0-9._-]{0,63}$',
      reason: 'invalid_source_name',
    });
    expect(rejectionOf(() => asRawCall({ ...call, duration_seconds: -3 }))).toEqual({
      message: 'RawCall duration_seconds is negative',
      reason: 'negative_duration_seconds',
    });
  });

  it('says what a value that is not the wire format starts with', () => {
    expect(rejectionOf(() => unframe(Buffer.from('{"call_id":"x"}')))).toEqual({
      message:
        'message is not in the Confluent wire format (magic byte 0, then a 4-byte schema id): 15 bytes starting 0x7b2263616c',
      reason: 'not_wire_format',
    });
  });

  it('accepts a source_name at the edge of the pattern and an upstream call', () => {
    const name = `a${'-'.repeat(63)}`;
    expect(asRawCall({ ...call, source_kind: 'upstream_call', source_name: name }).source_name).toBe(name);
    expect(() => asRawCall({ ...call, source_name: `${name}x` })).toThrow(/source_name/);
  });

  it('is not the producer’s fault when the tenant is disabled or the CRM fails', () => {
    expect(contractRejectionReason(new LeadstreamError('tenant_disabled', 'off'))).toBeUndefined();
    expect(contractRejectionReason(new LeadstreamError('crm_rejected', 'no'))).toBeUndefined();
    expect(contractRejectionReason(new LeadstreamError('unknown_tenant', 'who'))).toBe('unknown_tenant');
    expect(
      contractRejectionReason(new LeadstreamError('serde_error', 'x', { details: { reason: 'made up' } })),
    ).toBe('undecodable');
  });
});
