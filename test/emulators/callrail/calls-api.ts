import Fastify from 'fastify';

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
}

export interface CallRailApiOptions {
  accountId: string;
  apiKey: string;
  calls: readonly StoredCall[];
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

/**
 * CallRail API v3's "retrieve a call" (`GET /v3/a/{account_id}/calls/{call_id}.json`) for one account,
 * as the real one answers: `Authorization: Token token="KEY"` or 401, other accounts and unknown calls
 * 404, `{"error": "..."}` bodies, `transcription` and `conversational_transcript` only when `fields`
 * asks for them (null when the call has none), and a 429 without
 * Retry-After when the account is over its hourly limit.
 */
export async function startCallRailApi(options: CallRailApiOptions): Promise<CallRailApi> {
  const requests: SeenRequest[] = [];
  const faults: Fault[] = [];
  const calls = new Map(options.calls.map((call) => [call.id, call]));
  const app = Fastify({ forceCloseConnections: true });

  app.get<{ Params: { account: string; call: string }; Querystring: { fields?: string } }>(
    '/v3/a/:account/calls/:call',
    async (request, reply) => {
      requests.push({ url: request.url, authorization: request.headers.authorization });
      if (request.headers.authorization !== `Token token="${options.apiKey}"`) {
        return reply.code(401).send({ error: 'HTTP Token: Access denied.' });
      }
      const fault = faults.shift();
      if (fault?.kind === 'status') {
        if (fault.retryAfter !== undefined) reply.header('retry-after', fault.retryAfter);
        return reply.code(fault.status).send({ error: ERROR_MESSAGES[fault.status] ?? 'Error' });
      }
      if (fault?.kind === 'stall') await new Promise((resolve) => setTimeout(resolve, fault.ms));
      const id = request.params.call.replace(/\.json$/, '');
      const call = calls.get(id);
      if (request.params.account !== options.accountId || !request.params.call.endsWith('.json') || !call) {
        return reply.code(404).send({ error: 'Not found' });
      }
      const fields = (request.query.fields ?? '').split(',').map((field) => field.trim());
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
    },
    close: () => app.close(),
  };
}
