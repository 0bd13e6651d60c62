import { type ConnectivityAdvice, connectivityCheck } from '../connectivity-result.js';
import type { MondayCrmConfig } from './config.js';
import { MondayGraphqlClient } from './graphql-client.js';
import { CONNECTIVITY } from './graphql-documents.js';

interface ConnectivityAnswer {
  me?: { name?: string } | null;
  boards?: Array<{
    id: string;
    name: string;
    groups?: Array<{ id: string }> | null;
    columns?: Array<{ title: string }> | null;
  } | null> | null;
}

const ADVICE: ConnectivityAdvice = {
  crm_auth_error:
    'Monday refused the API token: check crm_config.api_token (Profile → Developers → My access tokens)',
  crm_unavailable: 'Monday could not be reached: check crm_config.api_url and the network',
  crm_rate_limited:
    "Monday is limiting this account's requests right now: the token works, try again shortly",
  crm_rejected: 'Monday refused the request: check crm_config.api_version',
  secret_error: 'the API token could not be read from its secret reference',
};

const normalise = (title: string) => title.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The guide's "Test API Connectivity" for a Monday tenant: one query with the tenant's token and API
 * version that reads the token's user and the configured board, then checks what would otherwise fail
 * every delivery: the board, the group, and a column for each title in column_mappings.
 */
export const checkMondayConnectivity = connectivityCheck<MondayCrmConfig>(
  'Monday',
  ADVICE,
  async (target) => {
    const { config, secrets, ...options } = target;
    const client = new MondayGraphqlClient({
      apiUrl: config.api_url,
      apiToken: await secrets.resolve(config.api_token),
      apiVersion: config.api_version,
      gate: async () => 0,
      timeoutMs: options.timeoutMs,
      clock: options.clock,
      outbound: options.outbound,
    });
    const answer = await client.request<ConnectivityAnswer>('connectivity', CONNECTIVITY, {
      board: [config.board_id],
    });
    const user = answer.me?.name ?? 'unknown user';
    const board = answer.boards?.find((candidate) => candidate?.id === config.board_id);
    if (!board) {
      return {
        ok: false,
        message: `Monday accepted the token (${user}), but it sees no board ${config.board_id}: check crm_config.board_id and share the board with that user`,
      };
    }
    if (config.group_id !== undefined && !board.groups?.some((group) => group.id === config.group_id)) {
      return {
        ok: false,
        message: `Monday board "${board.name}" has no group ${config.group_id}: fix crm_config.group_id (the group's id, not its title)`,
      };
    }
    const titles = new Set((board.columns ?? []).map((column) => normalise(column.title)));
    const missing = Object.keys(config.column_mappings).filter((title) => !titles.has(normalise(title)));
    if (missing.length > 0) {
      return {
        ok: false,
        message: `Monday board "${board.name}" has no column titled ${missing.map((t) => `"${t}"`).join(', ')}: add ${
          missing.length > 1 ? 'them' : 'it'
        } to the board or fix crm_config.column_mappings`,
      };
    }
    return {
      ok: true,
      message: `Monday accepted the token (${user}) and board "${board.name}" has every mapped column${
        config.group_id === undefined ? '' : ' and the group'
      }`,
    };
  },
);
