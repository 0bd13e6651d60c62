import type { z } from 'zod';
import { LeadstreamError } from '../errors/leadstream-error.js';
import type { CrmOperation } from '../events/crm-command.js';

/** An operation of a command that the adapter cannot run as it is: the mapper or its config is wrong. */
export function invalidOperation(operation: CrmOperation, problem: string): LeadstreamError {
  return new LeadstreamError(
    'validation_error',
    `operation ${operation.ref} (${operation.kind}): ${problem}`,
    {
      details: { ref: operation.ref, kind: operation.kind, object_type: operation.object_type },
    },
  );
}

/** The operation's payload_json as a value, not yet checked against what the CRM takes. */
export function operationJson(operation: CrmOperation): unknown {
  try {
    return JSON.parse(operation.payload_json);
  } catch (error) {
    throw new LeadstreamError('validation_error', `payload_json of operation ${operation.ref} is not JSON`, {
      details: { ref: operation.ref },
      cause: error,
    });
  }
}

/** The operation's payload as the adapter's schema reads it; every problem found is named. */
export function parseOperationPayload<T>(operation: CrmOperation, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(operationJson(operation));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw invalidOperation(operation, `payload is invalid: ${issues}`);
  }
  return parsed.data;
}
