import type { LeadstreamError } from '../errors/leadstream-error.js';

/**
 * Why a raw-calls record broke the producer contract: the `reason` label of
 * leadstream_upstream_rejections_total, listed in docs/producing-events.md. Set as `details.reason` by
 * the throw sites (wire format, serde, the stage runner, decoded-events), never taken from the record.
 */
export const CONTRACT_REJECTION_REASONS = [
  'not_wire_format',
  'unknown_schema_id',
  'unreadable_schema',
  'corrupt_body',
  'no_value',
  'empty_tenant_id',
  'empty_call_id',
  'invalid_source_name',
  'negative_duration_seconds',
  'unknown_tenant',
  /** A decoding failure without a reason of its own. */
  'undecodable',
  /** A validation failure without a reason of its own. */
  'invalid',
] as const;
export type ContractRejectionReason = (typeof CONTRACT_REJECTION_REASONS)[number];

const KNOWN: ReadonlySet<string> = new Set(CONTRACT_REJECTION_REASONS);
const isReason = (value: unknown): value is ContractRejectionReason =>
  typeof value === 'string' && KNOWN.has(value);

/**
 * The reason a failure is the producer's, as a bounded label; undefined when it is leadstream's or a
 * tenant's (a CRM down, a disabled tenant).
 */
export function contractRejectionReason(error: LeadstreamError): ContractRejectionReason | undefined {
  if (error.type === 'unknown_tenant') return 'unknown_tenant';
  if (error.type !== 'serde_error' && error.type !== 'validation_error') return undefined;
  const { reason } = error.details;
  if (isReason(reason)) return reason;
  return error.type === 'serde_error' ? 'undecodable' : 'invalid';
}
