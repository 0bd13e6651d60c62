import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request exactly as it arrived: the raw request target (path and query, undecoded) and every header. */
export interface RecordedRequest {
  method: string;
  target: string;
  headers: Record<string, string>;
  body: string;
}

export interface RecordingCrm {
  url: string;
  requests: RecordedRequest[];
  /** Every access token /oauth/token handed out, so a test can look for them where they must not be. */
  issuedTokens: string[];
  /** Forgets the requests seen and numbers new records from 1 again, so two runs get the same ids. */
  reset(): void;
  /** Whether a GET (a find) answers with a record (`{data: [{id: 'rec_found'}]}`) or with none. */
  findAnswers(found: boolean): void;
  close(): Promise<void>;
}

function bodyOf(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * A CRM that accepts anything and records it, for tests about what leaves leadstream rather than
 * what a CRM makes of it: any request target is recorded as sent (no routing, so a request that
 * escaped its path is seen too), writes answer 201 with a new id, finds answer as told, and
 * POST /oauth/token hands out a fresh token (not recorded).
 */
export async function startRecordingCrm(): Promise<RecordingCrm> {
  const requests: RecordedRequest[] = [];
  const issuedTokens: string[] = [];
  let found = false;
  let nextId = 1;
  const server = createServer(async (request, response) => {
    const body = await bodyOf(request);
    const reply = (status: number, answer: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer));
    };
    if (request.method === 'POST' && request.url === '/oauth/token') {
      const token = `at_${issuedTokens.length + 1}_${Math.random().toString(36).slice(2)}`;
      issuedTokens.push(token);
      reply(200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
      return;
    }
    const headers: Record<string, string> = {};
    for (let i = 0; i < request.rawHeaders.length; i += 2) {
      headers[(request.rawHeaders[i] ?? '').toLowerCase()] = request.rawHeaders[i + 1] ?? '';
    }
    requests.push({ method: request.method ?? '', target: request.url ?? '', headers, body });
    if (request.method === 'GET') reply(200, { data: found ? [{ id: 'rec_found' }] : [] });
    else reply(201, { data: { id: `rec_${nextId++}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    issuedTokens,
    reset() {
      requests.length = 0;
      nextId = 1;
    },
    findAnswers(answer) {
      found = answer;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
