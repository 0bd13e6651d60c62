import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One call as the account holds it; `transcription` is null while CallRail has not transcribed it, and
 * `conversational_transcript` (the turns, by speaker) is null or absent for accounts without them.
 */
export interface StoredCall {
  id: string;
  answered: boolean;
  duration: number;
  customer_phone_number: string;
  start_time: string;
  transcription: string | null;
  conversational_transcript?: unknown;
  /** Any other field of CallRail's call object (customer_name, company_id, source, ...). */
  [field: string]: unknown;
}

/** One form submission as the account holds it: `form_data` keyed by the form's own field names. */
export interface StoredFormSubmission {
  id: string;
  submitted_at: string;
  form_data: Record<string, unknown>;
  [field: string]: unknown;
}

/** CallRail's request budget per account: over `requests` in a `windowMs`, a 429 without Retry-After. */
export interface RequestBudget {
  requests: number;
  windowMs: number;
}

export interface CallRailApiOptions {
  accountId: string;
  apiKey: string;
  calls: readonly StoredCall[];
  formSubmissions?: readonly StoredFormSubmission[];
  /** Absent: no limit. */
  budget?: RequestBudget;
}

export interface SeenRequest {
  url: string;
  authorization: string | undefined;
}

/**
 * What the next matching requests get instead of the call: an error status, or a stall. CallRail
 * itself sends no Retry-After; `retryAfter` is what a proxy in front of it may add.
 */
export type Fault = { kind: 'status'; status: number; retryAfter?: string } | { kind: 'stall'; ms: number };

export interface CallRailApi {
  /** The v3 base, as a tenant's `callrail.api_base_url`. */
  baseUrl: string;
  requests: SeenRequest[];
  /** The next `times` authorised requests get the fault, then the API answers normally again. */
  fault(fault: Fault, times?: number): void;
  /** Forgets the requests seen and the faults not yet served. */
  reset(): void;
  close(): Promise<void>;
}

const ERROR_MESSAGES: Record<number, string> = {
  429: 'API rate limit exceeded',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
};

/** What the call list answers without `fields`, as CallRail's "list all calls" documents. */
const DEFAULT_CALL_FIELDS = new Set([
  'id',
  'answered',
  'business_phone_number',
  'customer_city',
  'customer_country',
  'customer_name',
  'customer_phone_number',
  'customer_state',
  'direction',
  'duration',
  'recording',
  'recording_duration',
  'recording_player',
  'start_time',
  'tracking_phone_number',
  'voicemail',
]);

const MAX_PER_PAGE = 250;

interface ListQuery {
  page?: string;
  per_page?: string;
  start_date?: string;
  end_date?: string;
  sort?: string;
  order?: string;
  fields?: string;
}

function requestedFields(query: { fields?: string }): string[] {
  return (query.fields ?? '').split(',').map((field) => field.trim());
}

/**
 * CallRail API v3 for one account, as the real one answers. "Retrieve a call"
 * (`GET /v3/a/{account_id}/calls/{call_id}.json`): `transcription` and `conversational_transcript`
 * only when `fields` asks for them (null when the call has none). "List all calls" (`calls.json`: its
 * default fields plus those `fields` names) and "list all form submissions" (`form_submissions.json`):
 * start_date/end_date (inclusive, on start_time or submitted_at), sort/order (newest first by default),
 * offset pagination by page and per_page (100 by default, at most 250) in the envelope
 * `{page, per_page, total_pages, total_records, calls}`. Everywhere: `Authorization: Token
 * token="KEY"` or 401, other accounts and unknown calls 404, `{"error": "..."}` bodies, and a 429
 * without Retry-After when the account is over its request budget.
 */
export async function startCallRailApi(options: CallRailApiOptions): Promise<CallRailApi> {
  const requests: SeenRequest[] = [];
  const faults: Fault[] = [];
  const calls = new Map(options.calls.map((call) => [call.id, call]));
  const app = Fastify({ forceCloseConnections: true });
  // The budget's window opens with the first request, not with the server, so a slow start on a
  // loaded machine does not spend it before the client has asked for anything.
  let windowStart: number | undefined;
  let spent = 0;

  /** Answers the request itself (401, over budget, a fault) and returns true, or false for the route to. */
  async function intercepted(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    requests.push({ url: request.url, authorization: request.headers.authorization });
    if (request.headers.authorization !== `Token token="${options.apiKey}"`) {
      await reply.code(401).send({ error: 'HTTP Token: Access denied.' });
      return true;
    }
    if (options.budget) {
      if (windowStart === undefined || Date.now() - windowStart >= options.budget.windowMs) {
        windowStart = Date.now();
        spent = 0;
      }
      spent += 1;
      if (spent > options.budget.requests) {
        await reply.code(429).send({ error: ERROR_MESSAGES[429] });
        return true;
      }
    }
    const fault = faults.shift();
    if (fault?.kind === 'status') {
      if (fault.retryAfter !== undefined) reply.header('retry-after', fault.retryAfter);
      await reply.code(fault.status).send({ error: ERROR_MESSAGES[fault.status] ?? 'Error' });
      return true;
    }
    if (fault?.kind === 'stall') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    return false;
  }

  function list<T extends Record<string, unknown>>(
    key: 'calls' | 'form_submissions',
    items: readonly T[],
    timeField: string,
    shape: (item: T, query: ListQuery) => Record<string, unknown>,
  ) {
    app.get<{ Params: { account: string }; Querystring: ListQuery }>(
      `/v3/a/:account/${key}.json`,
      async (request, reply) => {
        if (await intercepted(request, reply)) return reply;
        if (request.params.account !== options.accountId) return reply.code(404).send({ error: 'Not found' });
        const query = request.query;
        const page = Number(query.page ?? '1');
        const perPage = Number(query.per_page ?? '100');
        const valid = Number.isInteger(page) && page >= 1 && Number.isInteger(perPage) && perPage >= 1;
        if (!valid || perPage > MAX_PER_PAGE) {
          return reply
            .code(400)
            .send({ error: `page must be ≥ 1 and per_page between 1 and ${MAX_PER_PAGE}` });
        }
        const since =
          query.start_date === undefined ? Number.NEGATIVE_INFINITY : Date.parse(query.start_date);
        const until = query.end_date === undefined ? Number.POSITIVE_INFINITY : Date.parse(query.end_date);
        if (Number.isNaN(since) || Number.isNaN(until)) {
          return reply.code(400).send({ error: 'start_date and end_date must be ISO 8601' });
        }
        const at = (item: T) => Date.parse(String(item[timeField]));
        const direction = query.order === 'asc' ? 1 : -1;
        const sortField = query.sort ?? timeField;
        const selected = items
          .filter((item) => at(item) >= since && at(item) <= until)
          .sort((a, b) => {
            const [x, y] = [String(a[sortField] ?? ''), String(b[sortField] ?? '')];
            return (x < y ? -1 : x > y ? 1 : 0) * direction;
          });
        return reply.send({
          page,
          per_page: perPage,
          total_pages: Math.ceil(selected.length / perPage),
          total_records: selected.length,
          [key]: selected.slice((page - 1) * perPage, page * perPage).map((item) => shape(item, query)),
        });
      },
    );
  }

  list('calls', options.calls, 'start_time', (call, query) => {
    const asked = new Set(requestedFields(query));
    return Object.fromEntries(
      Object.entries(call).filter(([field]) => DEFAULT_CALL_FIELDS.has(field) || asked.has(field)),
    );
  });
  list('form_submissions', options.formSubmissions ?? [], 'submitted_at', (submission) => ({
    ...submission,
  }));

  app.get<{ Params: { account: string; call: string }; Querystring: { fields?: string } }>(
    '/v3/a/:account/calls/:call',
    async (request, reply) => {
      if (await intercepted(request, reply)) return reply;
      const id = request.params.call.replace(/\.json$/, '');
      const call = calls.get(id);
      if (request.params.account !== options.accountId || !request.params.call.endsWith('.json') || !call) {
        return reply.code(404).send({ error: 'Not found' });
      }
      const fields = requestedFields(request.query);
      const { transcription, conversational_transcript = null, ...always } = call;
      return reply.send({
        ...always,
        ...(fields.includes('transcription') ? { transcription } : {}),
        ...(fields.includes('conversational_transcript') ? { conversational_transcript } : {}),
      });
    },
  );

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the CallRail fake has no port');
  return {
    baseUrl: `http://127.0.0.1:${address.port}/v3`,
    requests,
    fault: (fault, times = 1) => {
      for (let i = 0; i < times; i += 1) faults.push(fault);
    },
    reset: () => {
      requests.length = 0;
      faults.length = 0;
      spent = 0;
    },
    close: () => app.close(),
  };
}
