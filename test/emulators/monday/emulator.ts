import Fastify from 'fastify';
import {
  buildSchema,
  execute,
  type GraphQLError,
  GraphQLError as GraphQLErrorClass,
  parse,
  validate,
} from 'graphql';
import { listenLocally } from '../listen.js';
import {
  AccountState,
  type BoardDefinition,
  leadsBoard,
  type StoredItem,
  type StoredUpdate,
} from './board-state.js';
import { invalidItem, mondayError } from './monday-errors.js';
import { MONDAY_SCHEMA_SDL } from './schema.js';

export type { BoardDefinition, ColumnDefinition, StoredItem, StoredUpdate } from './board-state.js';

export interface MondayEmulatorOptions {
  port?: number;
  host?: string;
  /** Personal API tokens the account accepts. */
  tokens: string[];
  /** The account's boards; one leads board (id 1234567890) by default. */
  boards?: BoardDefinition[];
  /** How long a new item stays invisible to items_page_by_column_values (0 by default). */
  searchLagMs?: number;
  /** Monday's per-minute request limit, or a shorter window for tests: over it, 429 with Retry-After. */
  requestLimit?: { requests: number; perMs: number };
  now?: () => number;
}

export interface MondayRequestLogEntry {
  /** The operation's name in the document (BoardColumns, CreateItem, ...), or null. */
  operationName: string | null;
  /** The root fields the document selects (create_item, boards, ...). */
  fields: string[];
  query: string;
  variables: Record<string, unknown>;
  apiVersion: string | undefined;
  status: number;
  /** Whether the answer carried an errors array. */
  failed: boolean;
}

export interface MondayEmulator {
  url: string;
  /** The GraphQL endpoint a tenant configures as api_url. */
  apiUrl: string;
  account: AccountState;
  items(boardId?: string): StoredItem[];
  /** Updates posted on items (all, or one item's), in order. */
  updates(itemId?: string): StoredUpdate[];
  requests: MondayRequestLogEntry[];
  /** Requests whose document selects this root field. */
  requestsFor(field: string): MondayRequestLogEntry[];
  /** The next n requests answer 200 with a ComplexityException naming retry_in_seconds. */
  complexityExhaustedNext(n: number, retryInSeconds: number): void;
  /** The next n requests answer 429 with Retry-After. */
  rateLimitNext(n: number, retryAfterSeconds: number): void;
  /** The next n requests fail with this status (500 JSON, 502 an HTML page). */
  failNext(n: number, status?: number): void;
  stop(): Promise<void>;
}

const ACCOUNT_ID = 12345678;
const schema = buildSchema(MONDAY_SCHEMA_SDL);

type Fault =
  | { kind: 'complexity'; retryInSeconds: number }
  | { kind: 'rate'; retryAfterSeconds: number }
  | { kind: 'status'; status: number };

type Args = Record<string, unknown>;

interface ItemsQuery {
  ids?: string[];
  order_by?: Array<{ column_id: string; direction?: 'asc' | 'desc' }>;
}

/** Monday's Date: ISO 8601 to the second, in UTC. */
const mondayDate = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function updateView(update: StoredUpdate) {
  return {
    id: update.id,
    body: update.body,
    text_body: update.body.replace(/<[^>]*>/g, ''),
    item_id: update.itemId,
    created_at: mondayDate(update.createdAt),
  };
}

function itemView(item: StoredItem, account: AccountState) {
  return {
    id: item.id,
    name: item.name,
    created_at: mondayDate(item.createdAt),
    // Newest first, as Monday lists an item's updates.
    updates: ({ limit, page }: { limit: number; page: number }) =>
      account
        .updates(item.id)
        .reverse()
        .slice((page - 1) * limit, page * limit)
        .map(updateView),
    board: () => boardView(account, item.boardId),
    group: () => account.board(item.boardId)?.groups.find((group) => group.id === item.groupId) ?? null,
    column_values: ({ ids }: { ids?: string[] }) =>
      [...item.values.entries()]
        .filter(([id]) => ids === undefined || ids.includes(id))
        .map(([id, stored]) => ({
          id,
          text: stored.text,
          value: JSON.stringify(stored.value),
          type: account.board(item.boardId)?.columns.find((column) => column.id === id)?.type ?? 'text',
        })),
  };
}

function boardView(account: AccountState, id: string) {
  const board = account.board(id);
  if (!board) return null;
  return {
    id: board.id,
    name: board.name,
    columns: ({ ids, types }: { ids?: string[]; types?: string[] }) =>
      board.columns
        .filter(
          (c) => (ids === undefined || ids.includes(c.id)) && (types === undefined || types.includes(c.type)),
        )
        .map((c) => ({
          ...c,
          settings_str: JSON.stringify(c.labels === undefined ? {} : { labels: c.labels }),
        })),
    groups: ({ ids }: { ids?: string[] }) =>
      board.groups.filter((g) => ids === undefined || ids.includes(g.id)),
    // Read from the board itself, not the search index behind items_page_by_column_values: an item
    // shows as soon as it is created. Ordered by creation (__creation_log__) only; other columns'
    // orders are not emulated.
    items_page: ({ limit, query_params }: { limit: number; query_params?: ItemsQuery }) => {
      if (limit > 500) throw mondayError('InvalidArgumentException', 'limit must be at most 500');
      const ids = query_params?.ids;
      let items = account.itemsOf(board.id).filter((item) => ids === undefined || ids.includes(item.id));
      const [order] = query_params?.order_by ?? [];
      if (order !== undefined && order.column_id === '__creation_log__') {
        items = [...items].sort((a, b) => a.createdAt - b.createdAt || Number(a.id) - Number(b.id));
        if (order.direction === 'desc') items.reverse();
      }
      return { cursor: null, items: items.slice(0, limit).map((item) => itemView(item, account)) };
    },
  };
}

function rootValue(account: AccountState) {
  return {
    boards: ({ ids }: Args) =>
      ((ids as string[] | undefined) ?? []).map((id) => boardView(account, id)).filter(Boolean),
    items: ({ ids }: Args) =>
      ((ids as string[] | undefined) ?? []).flatMap((id) => {
        const item = account.item(id);
        return item ? [itemView(item, account)] : [];
      }),
    items_page_by_column_values: ({ board_id, columns, limit }: Args) => ({
      cursor: null,
      items: account
        .findByColumnValues(
          String(board_id),
          (columns as Array<{ column_id: string; column_values: string[] }>) ?? [],
        )
        .slice(0, Math.min(Number(limit), 500))
        .map((item) => itemView(item, account)),
    }),
    me: () => ({ id: '55555', name: 'Integration User', email: 'api@company.com' }),
    create_item: (args: Args) =>
      itemView(
        account.createItem({
          boardId: String(args.board_id),
          groupId: args.group_id as string | null | undefined,
          name: String(args.item_name),
          columnValues: args.column_values,
          createLabels: args.create_labels_if_missing === true,
        }),
        account,
      ),
    create_update: (args: Args) => {
      const update = account.createUpdate({
        itemId: args.item_id === undefined || args.item_id === null ? undefined : String(args.item_id),
        body: String(args.body),
        parentId:
          args.parent_id === undefined || args.parent_id === null ? undefined : String(args.parent_id),
      });
      return updateView(update);
    },
    change_multiple_column_values: (args: Args) => {
      if (args.item_id === undefined || args.item_id === null) throw invalidItem('');
      return itemView(
        account.changeValues({
          boardId: String(args.board_id),
          itemId: String(args.item_id),
          columnValues: args.column_values,
          createLabels: args.create_labels_if_missing === true,
        }),
        account,
      );
    },
  };
}

const formatted = (errors: readonly GraphQLError[]) => errors.map((error) => error.toJSON());

/**
 * A stateful stand-in for Monday's GraphQL API (POST /v2): personal tokens in a bare Authorization
 * header, the API-Version header, documents parsed and validated against Monday's schema (graphql-js),
 * boards with typed columns, items created, changed and found by column value with Monday's checks
 * and error shapes (application errors inside HTTP 200), complexity and rate limits on demand.
 */
export async function startMondayEmulator(options: MondayEmulatorOptions): Promise<MondayEmulator> {
  const account = new AccountState(options.boards ?? [leadsBoard()], {
    lagMs: options.searchLagMs ?? 0,
    now: () => now(),
  });
  const faults: Fault[] = [];
  const requests: MondayRequestLogEntry[] = [];
  const now = options.now ?? Date.now;
  /** When the requests inside the limit's window were accepted. */
  const accepted: number[] = [];
  const app = Fastify({ logger: false });

  app.post('/v2', async (request, reply) => {
    const apiVersion = request.headers['api-version'] as string | undefined;
    const body = (request.body ?? {}) as { query?: unknown; variables?: unknown };
    const query = typeof body.query === 'string' ? body.query : '';
    const variables =
      body.variables !== null && typeof body.variables === 'object'
        ? (body.variables as Record<string, unknown>)
        : {};
    const log: MondayRequestLogEntry = {
      operationName: null,
      fields: [],
      query,
      variables,
      apiVersion,
      status: 200,
      failed: true,
    };
    requests.push(log);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      log.status = status;
      log.failed = typeof payload === 'object' && payload !== null && 'errors' in payload;
      return reply.code(status).headers(headers).send(payload);
    };

    const token = request.headers.authorization;
    if (token === undefined || !options.tokens.includes(token)) {
      return answer(401, {
        errors: [{ message: 'Not Authenticated', extensions: { code: 'UNAUTHENTICATED', status_code: 401 } }],
      });
    }
    if (apiVersion !== undefined && !/^\d{4}-\d{2}$/.test(apiVersion)) {
      return answer(400, {
        errors: [
          {
            message: `Invalid API version: ${apiVersion}`,
            extensions: { code: 'InvalidApiVersionException', status_code: 400 },
          },
        ],
      });
    }
    const limit = options.requestLimit;
    if (limit !== undefined) {
      const at = now();
      while (accepted.length > 0 && (accepted[0] ?? 0) <= at - limit.perMs) accepted.shift();
      if (accepted.length >= limit.requests) {
        const retryIn = Math.max(1, Math.ceil(((accepted[0] ?? at) + limit.perMs - at) / 1000));
        return answer(
          429,
          {
            errors: [
              {
                message: 'Rate limit exceeded, please try again later',
                extensions: { code: 'RateLimitExceeded', status_code: 429, retry_in_seconds: retryIn },
              },
            ],
          },
          { 'retry-after': String(retryIn) },
        );
      }
      accepted.push(at);
    }
    const fault = faults.shift();
    if (fault?.kind === 'complexity') {
      return answer(200, {
        errors: [
          {
            message: `Complexity budget exhausted, query cost 30001 budget remaining 19986 out of 10000000 reset in ${fault.retryInSeconds} seconds`,
            extensions: {
              code: 'ComplexityException',
              status_code: 429,
              retry_in_seconds: fault.retryInSeconds,
            },
          },
        ],
        account_id: ACCOUNT_ID,
      });
    }
    if (fault?.kind === 'rate') {
      return answer(
        429,
        {
          errors: [
            {
              message: 'Rate limit exceeded, please try again later',
              extensions: {
                code: 'RateLimitExceeded',
                status_code: 429,
                retry_in_seconds: fault.retryAfterSeconds,
              },
            },
          ],
        },
        { 'retry-after': String(fault.retryAfterSeconds) },
      );
    }
    if (fault?.kind === 'status') {
      if (fault.status === 502) {
        log.status = 502;
        return reply.code(502).type('text/html').send('<html><body><h1>502 Bad Gateway</h1></body></html>');
      }
      return answer(fault.status, { error_message: 'Internal server error', status_code: fault.status });
    }

    let document: ReturnType<typeof parse>;
    try {
      document = parse(query);
    } catch (error) {
      const parseError = error instanceof GraphQLErrorClass ? error : new GraphQLErrorClass(String(error));
      return answer(200, { errors: formatted([parseError]), account_id: ACCOUNT_ID });
    }
    for (const definition of document.definitions) {
      if (definition.kind !== 'OperationDefinition') continue;
      log.operationName = definition.name?.value ?? null;
      log.fields = definition.selectionSet.selections.flatMap((s) =>
        s.kind === 'Field' ? [s.name.value] : [],
      );
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) return answer(200, { errors: formatted(invalid), account_id: ACCOUNT_ID });
    const result = await execute({
      schema,
      document,
      rootValue: rootValue(account),
      variableValues: variables,
    });
    return answer(200, {
      ...(result.data === undefined ? {} : { data: result.data }),
      ...(result.errors === undefined ? {} : { errors: formatted(result.errors) }),
      account_id: ACCOUNT_ID,
    });
  });

  const { url } = await listenLocally(app, options);
  const add = (n: number, fault: Fault) => {
    for (let i = 0; i < n; i += 1) faults.push(fault);
  };
  return {
    url,
    apiUrl: `${url}/v2`,
    account,
    items: (boardId = '1234567890') => account.itemsOf(boardId),
    updates: (itemId) => account.updates(itemId),
    requests,
    requestsFor: (field) => requests.filter((r) => r.fields.includes(field)),
    complexityExhaustedNext: (n, retryInSeconds) => add(n, { kind: 'complexity', retryInSeconds }),
    rateLimitNext: (n, retryAfterSeconds) => add(n, { kind: 'rate', retryAfterSeconds }),
    failNext: (n, status = 500) => add(n, { kind: 'status', status }),
    stop: () => app.close(),
  };
}
