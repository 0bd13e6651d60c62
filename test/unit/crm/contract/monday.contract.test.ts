import { startMondayEmulator } from '../../../emulators/monday/emulator.js';
import { CALLER_PHONE, describeCrmContract, secretRef } from '../../../support/crm-contract.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.monday-contract-token';
const ROTATED_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.monday-contract-token-rotated';
const BOARD = '1234567890';

describeCrmContract({
  crm: 'monday',
  callerKind: 'items',
  created: () => ({ items: 1 }),
  mapped: (score) => ({ name: 'Jane Doe', phone: CALLER_PHONE, lead_score: String(score) }),
  // The Retry-After of the 429 below.
  rateLimitDelayMs: 7_000,
  async start() {
    // The emulator reads the accepted tokens from this list at each request. Search lags nothing: the
    // returning caller is found by the phone column.
    const tokens = [TOKEN];
    const emulator = await startMondayEmulator({ tokens });
    const column = (title: string) =>
      emulator.account.board(BOARD)?.columns.find((candidate) => candidate.title === title)?.id ?? title;
    return {
      crmConfig: {
        type: 'monday',
        api_token: secretRef('contract-monday-token'),
        api_url: emulator.apiUrl,
        board_id: BOARD,
        column_mappings: {
          Phone: 'customer_phone',
          City: 'customer_city',
          'Lead Score': 'ai_analysis.lead_score',
        },
        duplicate_detection: { enabled: true, match_fields: ['phone'] },
      },
      secrets: { 'contract-monday-token': TOKEN },
      emulator: {
        counts: () => ({ items: emulator.items().length }),
        callerRecord() {
          const item = emulator.items()[0];
          const phone = item?.values.get(column('Phone'))?.value as { phone?: string } | undefined;
          return (
            item && {
              name: item.name,
              phone: phone?.phone,
              lead_score: item.values.get(column('Lead Score'))?.text,
            }
          );
        },
        rateLimitNext: () => emulator.rateLimitNext(1, 7),
        revokeCredential: () => tokens.splice(0),
        rotateCredential() {
          tokens.splice(0, tokens.length, ROTATED_TOKEN);
          return { 'contract-monday-token': ROTATED_TOKEN };
        },
        stop: () => emulator.stop(),
      },
    };
  },
});
