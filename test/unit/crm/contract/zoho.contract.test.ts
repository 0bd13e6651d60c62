import { startZohoEmulator, type ZohoClient } from '../../../emulators/zoho/emulator.js';
import { CALLER_PHONE, describeCrmContract, secretRef } from '../../../support/crm-contract.js';

const CLIENT_ID = '1000.CONTRACTCLIENT0123456789ABCDE';
const CLIENT_SECRET = 'zoho-contract-client-secret';
const REFRESH_TOKEN = '1000.refresh.contract-tenant';
const ROTATED_REFRESH_TOKEN = '1000.refresh.contract-tenant-rotated';

describeCrmContract({
  crm: 'zoho',
  callerKind: 'leads',
  created: () => ({ leads: 1 }),
  mapped: (score) => ({ Phone: CALLER_PHONE, First_Name: 'Jane', Last_Name: 'Doe', AI_Lead_Score: score }),
  // The Retry-After of the 429 below.
  rateLimitDelayMs: 5_000,
  async start() {
    const client: ZohoClient = {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      refreshTokens: [REFRESH_TOKEN],
    };
    const emulator = await startZohoEmulator({ clients: [client] });
    return {
      crmConfig: {
        type: 'zoho',
        client_id: secretRef('contract-zoho-client-id'),
        client_secret: secretRef('contract-zoho-client-secret'),
        refresh_token: secretRef('contract-zoho-refresh-token'),
        data_centre: 'eu',
        accounts_url: emulator.url,
        field_mappings: {
          First_Name: 'customer_name_first',
          Last_Name: 'customer_name_last',
          Phone: 'customer_phone',
          AI_Lead_Score: 'ai_analysis.lead_score',
        },
        duplicate_detection: { enabled: true, match_fields: ['phone', 'email'] },
      },
      secrets: {
        'contract-zoho-client-id': CLIENT_ID,
        'contract-zoho-client-secret': CLIENT_SECRET,
        'contract-zoho-refresh-token': REFRESH_TOKEN,
      },
      emulator: {
        counts: () => ({ leads: emulator.records().length }),
        callerRecord: () => emulator.records()[0]?.fields,
        rateLimitNext: () => emulator.rateLimitNext(1, 5),
        revokeCredential() {
          // The refresh token revoked in Zoho's API console, and every access token it got with it.
          client.refreshTokens.splice(0);
          emulator.expireTokens();
        },
        rotateCredential() {
          client.refreshTokens.splice(0, client.refreshTokens.length, ROTATED_REFRESH_TOKEN);
          emulator.expireTokens();
          return { 'contract-zoho-refresh-token': ROTATED_REFRESH_TOKEN };
        },
        stop: () => emulator.stop(),
      },
    };
  },
});
