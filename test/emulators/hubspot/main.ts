/**
 * Runs the HubSpot emulator for local demos:
 *   npx tsx test/emulators/hubspot/main.ts --port 8090 --token pat-na1-demo --owner owner@company.com
 * Flags may repeat (--token, --owner). The guide's custom contact properties are defined unless --bare.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_TOKEN, startHubSpotEmulator } from './emulator.js';
import { defineGuideProperties } from './guide-properties.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8090' },
    host: { type: 'string', default: '127.0.0.1' },
    token: { type: 'string', multiple: true },
    owner: { type: 'string', multiple: true },
    'search-lag-ms': { type: 'string', default: '0' },
    'rate-limit-max': { type: 'string', default: '100' },
    bare: { type: 'boolean', default: false },
  },
});

const tokens = values.token?.length ? values.token : [DEFAULT_TOKEN];
const owners = (values.owner ?? ['owner@company.com']).map((email) => ({ email }));

const emulator = await startHubSpotEmulator({
  port: Number(values.port),
  host: values.host,
  portals: tokens.map((token) => ({ token, owners })),
  searchLagMs: Number(values['search-lag-ms']),
  rateLimits: { max: Number(values['rate-limit-max']) },
});
if (!values.bare) for (const token of tokens) defineGuideProperties(emulator.portal(token));

process.stdout.write(`HubSpot emulator listening on ${emulator.url} (${tokens.length} portal(s))\n`);

const shutdown = (): void => {
  void emulator.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
