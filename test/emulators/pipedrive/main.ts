/**
 * Runs the Pipedrive emulator for local demos:
 *   npx tsx test/emulators/pipedrive/main.ts --port 8092 --token 0123...
 * The tenant then sets company_domain to the printed host (or api_base_url to URL/api/v2).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_TOKEN, startPipedriveEmulator } from './emulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8092' },
    host: { type: 'string', default: '127.0.0.1' },
    token: { type: 'string', multiple: true },
    'burst-limit': { type: 'string', default: '20' },
  },
});

const emulator = await startPipedriveEmulator({
  port: Number(values.port),
  host: values.host,
  tokens: values.token?.length ? values.token : [DEFAULT_TOKEN],
  burstLimit: Number(values['burst-limit']),
});

process.stdout.write(
  `Pipedrive emulator listening on ${emulator.url} (api_base_url ${emulator.url}/api/v2)\n`,
);

const shutdown = (): void => {
  void emulator.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
