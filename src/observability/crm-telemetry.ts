import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Metrics } from './metrics.js';

/** The delivery in progress: which CRM the requests made inside it go to, and where to record them. */
interface CrmScope {
  crm: string;
  metrics: Metrics;
}

const scopes = new AsyncLocalStorage<CrmScope>();
const inFlight = new WeakMap<object, { scope: CrmScope; startedAt: number }>();
let listening = false;

/** Remembers a request made inside a delivery scope; false for any other request of the process. */
function started(request: object): boolean {
  const scope = scopes.getStore();
  if (scope) inFlight.set(request, { scope, startedAt: performance.now() });
  return scope !== undefined;
}

function answered(request: object, statusCode: number | string): void {
  const entry = inFlight.get(request);
  if (!entry) return;
  inFlight.delete(request);
  const { crm, metrics } = entry.scope;
  metrics.crmRequestDuration.observe({ crm }, (performance.now() - entry.startedAt) / 1000);
  metrics.crmRequests.inc({ crm, status_code: statusCode });
  if (statusCode === 429) metrics.crmRateLimited.inc({ crm });
}

interface RequestMessage {
  request: object;
  response?: { statusCode?: number };
}

/**
 * Every CRM SDK brings its own HTTP client (node-fetch over node:http for HubSpot and jsforce, axios
 * for Pipedrive, fetch elsewhere), so requests are observed where they all meet: Node's diagnostics
 * channels for node:http and for fetch (undici). Only requests made inside a delivery scope count.
 */
function listen(): void {
  if (listening) return;
  listening = true;
  const onStart = (message: unknown) => {
    started((message as RequestMessage).request);
  };
  // Node 20 has no channel for a node:http request that failed without an answer; its 'close' event
  // comes after the response (already recorded, so ignored) or after the failure.
  const onHttpStart = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    if (started(request)) request.once('close', () => answered(request, 'error'));
  };
  const onAnswer = (message: unknown) => {
    const { request, response } = message as RequestMessage;
    answered(request, response?.statusCode ?? 'none');
  };
  const onError = (message: unknown) => answered((message as RequestMessage).request, 'error');
  subscribe('http.client.request.start', onHttpStart);
  subscribe('http.client.response.finish', onAnswer);
  subscribe('undici:request:create', onStart);
  subscribe('undici:request:headers', onAnswer);
  subscribe('undici:request:error', onError);
}

/**
 * Runs one delivery to a CRM so that what it does is recorded under that CRM's label: its HTTP
 * requests (duration, status code, 429s) and its rate-limit waits. Adapters need not know.
 */
export function withCrmTelemetry<T>(metrics: Metrics, crm: string, deliver: () => Promise<T>): Promise<T> {
  listen();
  return scopes.run({ crm, metrics }, deliver);
}

/** Records a wait for a CRM request budget, when one was needed, against the delivery in progress. */
export function recordRateLimitWait(waitedMs: number): void {
  const scope = scopes.getStore();
  if (scope && waitedMs > 0) scope.metrics.crmRateLimitWait.observe({ crm: scope.crm }, waitedMs / 1000);
}
