import { LRUCache } from 'lru-cache';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { MondayGraphqlClient } from './graphql-client.js';
import { BOARD_COLUMNS } from './graphql-documents.js';

/** A board column as the columns query lists it. */
export interface BoardColumn {
  id: string;
  title: string;
  /** Monday's column type: text, phone, email, status, numbers, date, long_text, dropdown, ... */
  type: string;
}

interface BoardColumnsAnswer {
  boards?: Array<{ id: string; columns?: BoardColumn[] | null } | null> | null;
}

/** Titles are what a person sees; spacing and letter case are not worth a failed delivery. */
const normalise = (title: string) => title.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Column ids by title per tenant and board. Ids are stable while titles get edited, so the catalogue
 * is kept (an hour at most) and read again when a configured title is not in it.
 */
export class BoardColumns {
  private readonly boards = new LRUCache<string, Map<string, BoardColumn>>({ max: 10_000, ttl: 60 * 60_000 });

  /** The column of each title; throws crm_not_found naming every title the board lacks. */
  async resolve(
    client: MondayGraphqlClient,
    tenantId: string,
    boardId: string,
    titles: readonly string[],
  ): Promise<Map<string, BoardColumn>> {
    const key = `${tenantId}\u0000${boardId}`;
    let columns = this.boards.get(key);
    if (columns === undefined || titles.some((title) => !columns?.has(normalise(title)))) {
      columns = await this.read(client, boardId);
      this.boards.set(key, columns);
    }
    const resolved = new Map<string, BoardColumn>();
    const missing: string[] = [];
    for (const title of titles) {
      const column = columns.get(normalise(title));
      if (column === undefined) missing.push(title);
      else resolved.set(title, column);
    }
    if (missing.length > 0) {
      throw new LeadstreamError(
        'crm_not_found',
        `Monday board ${boardId} has no column titled ${missing.map((t) => `"${t}"`).join(', ')}: add ${
          missing.length > 1 ? 'them' : 'it'
        } to the board or fix crm_config.column_mappings`,
        { details: { operation: 'boards.columns', board_id: boardId, columns: missing.join(',') } },
      );
    }
    return resolved;
  }

  forget(tenantId: string, boardId: string): void {
    this.boards.delete(`${tenantId}\u0000${boardId}`);
  }

  private async read(client: MondayGraphqlClient, boardId: string): Promise<Map<string, BoardColumn>> {
    const answer = await client.request<BoardColumnsAnswer>('boards.columns', BOARD_COLUMNS, {
      board: [boardId],
    });
    const board = answer.boards?.find((candidate) => candidate?.id === boardId);
    if (!board) {
      throw new LeadstreamError(
        'crm_not_found',
        `Monday has no board ${boardId} that this token can see: check crm_config.board_id and the token's access`,
        { details: { operation: 'boards.columns', board_id: boardId } },
      );
    }
    const columns = new Map<string, BoardColumn>();
    for (const column of board.columns ?? []) {
      const title = normalise(column.title);
      if (!columns.has(title)) columns.set(title, column);
    }
    return columns;
  }
}
