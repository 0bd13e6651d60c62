/**
 * Runs the Zoho CRM emulator for local demos:
 *   npx tsx test/emulators/zoho/main.ts --port 8094 --client-id 1000.DEMO --client-secret s --refresh-token 1000.r
 * The tenant then sets accounts_url to the printed URL (tokens name it as their api_domain).
 */
import { parseArgs } from 'node:util';
import { startZohoEmulator } from './emulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8094' },
    host: { type: 'string', default: '127.0.0.1' },
    'client-id': { type: 'string', default: '1000.LEADSTREAMDEMO' },
    'client-secret': { type: 'string', default: 'leadstream-demo-secret' },
    'refresh-token': { type: 'string', default: '1000.leadstream-demo-refresh-token' },
  },
});

const emulator = await startZohoEmulator({
  port: Number(values.port),
  host: values.host,
  clients: [
    {
      clientId: values['client-id'],
      clientSecret: values['client-secret'],
      refreshTokens: [values['refresh-token']],
    },
  ],
});

process.stdout.write(`Zoho emulator listening on ${emulator.url}\n`);

const shutdown = (): void => {
  void emulator.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
