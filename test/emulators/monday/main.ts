/**
 * Runs the Monday.com emulator for local demos:
 *   npx tsx test/emulators/monday/main.ts --port 8093 --token my-demo-token
 * The tenant then sets api_url to the printed URL and board_id 1234567890 (a leads board with Phone,
 * Email, Status, Lead Score, Call Date, City, Call Summary, Project Type and Recording columns).
 */
import { parseArgs } from 'node:util';
import { startMondayEmulator } from './emulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8093' },
    host: { type: 'string', default: '127.0.0.1' },
    token: { type: 'string', multiple: true },
  },
});

const emulator = await startMondayEmulator({
  port: Number(values.port),
  host: values.host,
  tokens: values.token?.length ? values.token : ['leadstream-demo-monday-token'],
});

process.stdout.write(`Monday emulator listening; api_url ${emulator.apiUrl}\n`);

const shutdown = (): void => {
  void emulator.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
