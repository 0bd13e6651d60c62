import type { LeadstreamError } from '../errors/leadstream-error.js';

/** Reasons are written by leadstream's own throw sites (a fixed set), never taken from the record. */
const REASON_PATTERN = /^[a-z0-9_]{1,64}$/;

/**
 * Why a raw-calls record broke the producer contract, as a bounded metric label; undefined when its
 * failure is leadstream's or a tenant's (a CRM down, a disabled tenant), not the producer's.
 */
export function contractRejectionReason(error: LeadstreamError): string | undefined {
  if (error.type === 'unknown_tenant') return 'unknown_tenant';
  if (error.type !== 'serde_error' && error.type !== 'validation_error') return undefined;
  const { reason } = error.details;
  if (typeof reason === 'string' && REASON_PATTERN.test(reason)) return reason;
  return error.type === 'serde_error' ? 'undecodable' : 'invalid';
}
