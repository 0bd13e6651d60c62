import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OrgState } from './org-state.js';
import { PROCESSING_HALTED, restError } from './salesforce-errors.js';

export interface CompositeContext {
  org: OrgState;
  /** Marks a subrequest the composite resource makes, so it is not counted or faulted on its own. */
  subrequestHeader: { name: string; value: string };
}

interface Subrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const REFERENCE = /@\{([A-Za-z][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+|\[\d+\])+)\}/g;
const MAX_SUBREQUESTS = 25;

function parseSubrequests(body: unknown): { allOrNone: boolean; requests: Subrequest[] } {
  const input = (body ?? {}) as { allOrNone?: unknown; compositeRequest?: unknown };
  if (!Array.isArray(input.compositeRequest) || input.compositeRequest.length === 0) {
    throw restError(400, 'JSON_PARSER_ERROR', 'compositeRequest is required and cannot be empty');
  }
  if (input.compositeRequest.length > MAX_SUBREQUESTS) {
    throw restError(
      400,
      'LIMIT_EXCEEDED',
      `Composite requests can have at most ${MAX_SUBREQUESTS} subrequests`,
    );
  }
  const seen = new Set<string>();
  const requests = input.compositeRequest.map((item: unknown, index) => {
    const r = (item ?? {}) as Partial<Subrequest>;
    if (!['GET', 'POST', 'PATCH', 'DELETE'].includes(String(r.method))) {
      throw restError(
        400,
        'INVALID_INPUT',
        `compositeRequest[${index}].method is not supported: ${String(r.method)}`,
      );
    }
    if (typeof r.url !== 'string' || !r.url.startsWith('/services/data/')) {
      throw restError(400, 'INVALID_INPUT', `compositeRequest[${index}].url must start with /services/data/`);
    }
    if (
      typeof r.referenceId !== 'string' ||
      !/^[A-Za-z][A-Za-z0-9_]*$/.test(r.referenceId) ||
      seen.has(r.referenceId)
    ) {
      throw restError(400, 'INVALID_INPUT', `compositeRequest[${index}].referenceId must be a unique name`);
    }
    seen.add(r.referenceId);
    return r as Subrequest;
  });
  return { allOrNone: input.allOrNone === true, requests };
}

function lookup(value: unknown, path: string): unknown {
  let current = value;
  for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
    if (current === null || typeof current !== 'object') return undefined;
    const key = step.startsWith('.') ? step.slice(1) : Number(step.slice(1, -1));
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

class UnresolvedReference extends Error {}

/** Replaces `@{ref.path}` in text with the earlier subrequest's value. */
function resolveText(text: string, results: Map<string, unknown>): string {
  return text.replace(REFERENCE, (whole, ref: string, path: string) => {
    const value = results.has(ref) ? lookup(results.get(ref), path) : undefined;
    if (value === undefined || value === null || typeof value === 'object') {
      throw new UnresolvedReference(
        `Invalid reference specified. No value for ${ref}${path} found in ${ref}. Provided referenceId ('${ref}') must be a valid referenceId from a previous subrequest (${whole}).`,
      );
    }
    return String(value);
  });
}

function resolveBody(body: unknown, results: Map<string, unknown>): unknown {
  if (typeof body === 'string') return resolveText(body, results);
  if (Array.isArray(body)) return body.map((item) => resolveBody(item, results));
  if (body !== null && typeof body === 'object') {
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, resolveBody(v, results)]));
  }
  return body;
}

const halted = (referenceId: string, message = PROCESSING_HALTED.message): SubResponse => ({
  body: [{ errorCode: PROCESSING_HALTED.errorCode, message }],
  httpHeaders: {},
  httpStatusCode: 400,
  referenceId,
});

/**
 * The ids of the records a successful write subrequest touched: the id in its answer (a create, an
 * upsert, a collection's results) and the id ending its URL (an update or a delete by id).
 */
function recordIdsWritten(method: Subrequest['method'], url: string, body: unknown): string[] {
  if (method === 'GET') return [];
  const ids: string[] = [];
  const answered = (value: unknown) => {
    const id = (value as { id?: unknown } | null)?.id;
    if (typeof id === 'string') ids.push(id);
  };
  if (Array.isArray(body)) body.forEach(answered);
  else answered(body);
  const last = url.split('?')[0]?.split('/').pop() ?? '';
  if (/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(last)) ids.push(last);
  return ids;
}

/**
 * POST /services/data/vXX.X/composite: subrequests run in order through the same routes (one API
 * request in all), `@{ref.id}` reads earlier answers, and with allOrNone the first failure rolls
 * every change back and the other subrequests answer PROCESSING_HALTED.
 */
export function registerCompositeRoutes(app: FastifyInstance, ctx: CompositeContext): void {
  app.post('/services/data/:version/composite', async (request: FastifyRequest) => {
    const { allOrNone, requests } = parseSubrequests(request.body);
    const before = ctx.org.snapshot();
    const results = new Map<string, unknown>();
    const responses: SubResponse[] = [];
    /** The records this request's subrequests created, changed or deleted: what a rollback undoes. */
    const written = new Set<string>();
    for (const [index, sub] of requests.entries()) {
      let url: string;
      let payload: unknown;
      try {
        url = resolveText(sub.url, results);
        payload = resolveBody(sub.body, results);
      } catch (error) {
        if (!(error instanceof UnresolvedReference)) throw error;
        responses.push(halted(sub.referenceId, error.message));
        if (allOrNone) return rollBack(responses, requests.slice(index + 1), before);
        continue;
      }
      const answer = await app.inject({
        method: sub.method,
        url,
        headers: {
          ...(sub.httpHeaders ?? {}),
          authorization: request.headers.authorization ?? '',
          [ctx.subrequestHeader.name]: ctx.subrequestHeader.value,
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
      });
      const body: unknown = answer.body === '' ? null : answer.json();
      const location = answer.headers.location;
      responses.push({
        body,
        httpHeaders: typeof location === 'string' ? { Location: location } : {},
        httpStatusCode: answer.statusCode,
        referenceId: sub.referenceId,
      });
      if (answer.statusCode < 400) {
        results.set(sub.referenceId, body);
        for (const id of recordIdsWritten(sub.method, url, body)) written.add(id);
      } else if (allOrNone) return rollBack(responses, requests.slice(index + 1), before);
    }
    return { compositeResponse: responses };

    function rollBack(done: SubResponse[], notRun: Subrequest[], snapshot: ReturnType<OrgState['snapshot']>) {
      ctx.org.restore(snapshot, written);
      const failed = done[done.length - 1];
      return {
        compositeResponse: [
          ...done.slice(0, -1).map((r) => halted(r.referenceId)),
          ...(failed ? [failed] : []),
          ...notRun.map((r) => halted(r.referenceId)),
        ],
      };
    }
  });
}
