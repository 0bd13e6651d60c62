import { LeadstreamError } from '../../errors/leadstream-error.js';
import { classifyFault, faultFromBody } from './error-classification.js';
import type { SalesforceSession } from './salesforce-session.js';

export interface CompositeSubrequest {
  method: 'GET' | 'POST' | 'PATCH';
  /** A full REST path: `/services/data/v62.0/sobjects/Lead`. */
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface CompositeSubresponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

interface CompositeResponse {
  compositeResponse: CompositeSubresponse[];
}

/** What subrequests of an all-or-none request that did not fail themselves answer. */
const HALTED = 'PROCESSING_HALTED';

/**
 * Runs subrequests as one `/composite` call (one API request against the org's budget; later
 * subrequests can use `@{ref.id}`) and returns each body by referenceId. When a subrequest fails, the
 * first failure that is not merely PROCESSING_HALTED is classified and thrown, named after its
 * operation (`operations[referenceId]`).
 */
export async function runComposite(
  session: SalesforceSession,
  requests: CompositeSubrequest[],
  options: { allOrNone: boolean; operations: Record<string, string> },
): Promise<Map<string, unknown>> {
  const answer = await session.call(Object.values(options.operations).join('+'), (conn) =>
    conn.requestPost<CompositeResponse>(session.dataPath('/composite'), {
      allOrNone: options.allOrNone,
      compositeRequest: requests,
    }),
  );
  const responses = Array.isArray(answer?.compositeResponse) ? answer.compositeResponse : [];
  const failures = responses.filter((r) => r.httpStatusCode >= 400);
  const failure =
    failures.find((r) => faultFromBody(r.httpStatusCode, r.body).errors[0]?.errorCode !== HALTED) ??
    failures[0];
  if (failure !== undefined) {
    const operation = options.operations[failure.referenceId] ?? failure.referenceId;
    throw classifyFault(faultFromBody(failure.httpStatusCode, failure.body), operation);
  }
  const bodies = new Map(responses.map((r) => [r.referenceId, r.body]));
  for (const request of requests) {
    if (!bodies.has(request.referenceId)) {
      throw new LeadstreamError(
        'crm_unavailable',
        `Salesforce's composite answer lacks ${request.referenceId}`,
        {
          details: { operation: options.operations[request.referenceId] ?? request.referenceId },
        },
      );
    }
  }
  return bodies;
}

/** The id of a created record in a subrequest's body (`{id, success, errors}`). */
export function createdId(body: unknown, operation: string): string {
  const id = body !== null && typeof body === 'object' ? (body as { id?: unknown }).id : undefined;
  if (typeof id !== 'string') {
    throw new LeadstreamError('crm_unavailable', `Salesforce answered ${operation} without an id`, {
      details: { operation },
    });
  }
  return id;
}
