import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';

/** How the server wants to be authenticated: one scheme, as a real API is configured. */
export type ServerAuth =
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'api_key'; in: 'header' | 'query'; name: string; key: string }
  | { type: 'oauth2'; clientId: string; clientSecret: string; expiresIn: number };

export interface CustomCrmServerOptions {
  auth: ServerAuth;
  /** Where created ids go in answers: `{id}` (a number) or `{data: {id}}` (a string). */
  idShape?: 'top' | 'data';
}

export interface Failure {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Answer only after this long (a slow or hung server). */
  delayMs?: number;
}

/** A request as the server saw it, for tests to check what travelled. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface CustomCrmServer {
  url: string;
  contacts: Map<string | number, Record<string, unknown>>;
  opportunities: Map<string | number, Record<string, unknown>>;
  notes: Array<{ contact: string; body: unknown }>;
  requests: SeenRequest[];
  tokenRequests: number;
  /** The next `count` API requests (to paths starting with `path`, when given) get this answer instead. */
  failNext(failure: Failure, options?: { path?: string; count?: number }): void;
  /** Every access token issued so far stops working, as after a key rotation on the CRM's side. */
  revokeTokens(): void;
  close(): Promise<void>;
}

const E164 = /^\+[1-9]\d{6,14}$/;

function problems(body: unknown, required: Record<string, (value: unknown) => boolean>): string[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return ['body must be a JSON object'];
  const record = body as Record<string, unknown>;
  return Object.entries(required).flatMap(([field, valid]) =>
    record[field] === undefined
      ? [`${field} is required`]
      : valid(record[field])
        ? []
        : [`${field} is invalid`],
  );
}

/**
 * A small REST CRM for the custom adapter's tests: contacts (searchable by exact phone, updatable
 * with PATCH), opportunities that must name an existing
 * contact, notes under a contact; one authentication scheme enforced on every API request (401 with a
 * message otherwise); bad bodies refused with 400/422 and the reason, as such APIs do.
 */
export async function startCustomCrmServer(options: CustomCrmServerOptions): Promise<CustomCrmServer> {
  const app = Fastify();
  const auth = options.auth;
  const shape = options.idShape ?? 'data';
  const failures: Array<Failure & { path: string }> = [];
  const tokens = new Set<string>();
  let nextId = 1;
  const state: Omit<CustomCrmServer, 'url' | 'failNext' | 'revokeTokens' | 'close'> = {
    contacts: new Map(),
    opportunities: new Map(),
    notes: [],
    requests: [],
    tokenRequests: 0,
  };

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );

  const created = (record: Record<string, unknown>) => {
    const id = shape === 'top' ? 1000 + nextId : `rec_${nextId}`;
    nextId += 1;
    return { id, answer: shape === 'top' ? { id, ...record } : { data: { id, ...record } } };
  };

  app.post('/oauth/token', async (request, reply) => {
    state.tokenRequests += 1;
    if (auth.type !== 'oauth2') return reply.code(404).send({ error: 'not_found' });
    const form = request.body as Record<string, string>;
    const expected = `Basic ${Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64')}`;
    if (request.headers.authorization !== expected) {
      return reply
        .code(401)
        .send({ error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    if (form.grant_type !== 'client_credentials') {
      return reply.code(400).send({ error: 'unsupported_grant_type' });
    }
    const token = `at_${state.tokenRequests}_${Math.random().toString(36).slice(2)}`;
    tokens.add(token);
    return { access_token: token, token_type: 'Bearer', expires_in: auth.expiresIn };
  });

  const authorized = (request: FastifyRequest): boolean => {
    const header = request.headers.authorization;
    switch (auth.type) {
      case 'bearer':
        return header === `Bearer ${auth.token}`;
      case 'basic':
        return header === `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
      case 'api_key': {
        const query = request.query as Record<string, string | undefined>;
        return auth.in === 'header'
          ? request.headers[auth.name.toLowerCase()] === auth.key
          : query[auth.name] === auth.key;
      }
      case 'oauth2':
        return header?.startsWith('Bearer ') === true && tokens.has(header.slice('Bearer '.length));
    }
  };

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.url.startsWith('/oauth/')) return;
    state.requests.push({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.body,
    });
    if (!authorized(request)) {
      return reply.code(401).send({ message: 'Invalid or missing credentials' });
    }
    const index = failures.findIndex((failure) => request.url.startsWith(failure.path));
    const failure = index < 0 ? undefined : failures.splice(index, 1)[0];
    if (!failure) return undefined;
    if (failure.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
    return reply
      .code(failure.status)
      .headers(failure.headers ?? {})
      .send(failure.body ?? null);
  });

  app.get('/v1/contacts', async (request) => {
    const { phone } = request.query as { phone?: string };
    if (phone === undefined) return { data: [...state.contacts.values()].slice(0, 1) };
    const matches = [...state.contacts.entries()].filter(([, contact]) => contact.phone === phone);
    return { data: matches.map(([id, contact]) => ({ id, ...contact })) };
  });

  app.patch('/v1/contacts/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const key = [...state.contacts.keys()].find((candidate) => String(candidate) === id);
    if (key === undefined) return reply.code(404).send({ message: `contact ${id} not found` });
    if (request.body === null || typeof request.body !== 'object' || Array.isArray(request.body))
      return reply.code(400).send({ message: 'body must be a JSON object' });
    const contact = { ...state.contacts.get(key), ...(request.body as Record<string, unknown>) };
    state.contacts.set(key, contact);
    return { data: { id: key, ...contact } };
  });

  app.post('/v1/contacts', async (request, reply) => {
    const wrong = problems(request.body, {
      phone: (value) => typeof value === 'string' && E164.test(value),
      last_name: (value) => typeof value === 'string' && value !== '',
    });
    if (wrong.length > 0) {
      return reply.code(400).send({ message: `Validation failed: ${wrong.join(', ')}`, errors: wrong });
    }
    const { id, answer } = created(request.body as Record<string, unknown>);
    state.contacts.set(id, request.body as Record<string, unknown>);
    return reply.code(201).send(answer);
  });

  app.post('/v1/opportunities', async (request, reply) => {
    const wrong = problems(request.body, {
      contact_id: (value) =>
        (typeof value === 'string' || typeof value === 'number') && state.contacts.has(value),
      title: (value) => typeof value === 'string',
    });
    if (wrong.length > 0) return reply.code(422).send({ error: { message: wrong.join(', ') } });
    const { id, answer } = created(request.body as Record<string, unknown>);
    state.opportunities.set(id, request.body as Record<string, unknown>);
    return reply.code(201).send(answer);
  });

  app.post('/v1/contacts/:id/notes', async (request, reply) => {
    const { id } = request.params as { id: string };
    const known = [...state.contacts.keys()].some((key) => String(key) === id);
    if (!known) return reply.code(404).send({ message: `contact ${id} not found` });
    state.notes.push({ contact: id, body: request.body });
    return reply.code(201).header('location', `/v1/contacts/${id}/notes/note_${state.notes.length}`).send();
  });

  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return Object.assign(state, {
    url,
    failNext(failure: Failure, { path = '/', count = 1 }: { path?: string; count?: number } = {}) {
      for (let i = 0; i < count; i += 1) failures.push({ ...failure, path });
    },
    revokeTokens() {
      tokens.clear();
    },
    close: () => app.close(),
  });
}
