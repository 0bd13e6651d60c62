import type { ErrorType } from '../../errors/error-types.js';

/** An answer the gateway gives on purpose: its status, a typed code, and the field at fault when one is. */
export class GatewayError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorType | 'not_found' | 'payload_too_large' | 'unsupported_media_type',
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

export const errorReplySchema = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    code: { type: 'string' },
    message: { type: 'string' },
    field: { type: 'string' },
  },
  required: ['statusCode', 'error', 'code', 'message'],
} as const;

export const acceptedReplySchema = {
  type: 'object',
  properties: {
    accepted: { type: 'boolean' },
    tenant_id: { type: 'string' },
    call_id: { type: 'string' },
  },
  required: ['accepted', 'tenant_id', 'call_id'],
} as const;
