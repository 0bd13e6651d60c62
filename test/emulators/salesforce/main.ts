/**
 * Runs the Salesforce emulator for local demos:
 *   npx tsx test/emulators/salesforce/main.ts --port 8091 --certificate salesforce_cert.crt \
 *     --consumer-key 3MVG9... --username api@company.com
 * The tenant then sets instance_url and login_url to the printed URL. The guide's custom Lead fields
 * are defined unless --bare.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startSalesforceEmulator } from './emulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8091' },
    host: { type: 'string', default: '127.0.0.1' },
    certificate: { type: 'string' },
    'consumer-key': { type: 'string', default: 'leadstream-demo-consumer-key' },
    username: { type: 'string', multiple: true },
    'assignment-owner': { type: 'string' },
    'api-limit': { type: 'string', default: '100000' },
    bare: { type: 'boolean', default: false },
  },
});

if (values.certificate === undefined) {
  process.stderr.write(
    '--certificate PEM (the certificate or public key uploaded to the connected app) is required\n',
  );
  process.exit(2);
}

const emulator = await startSalesforceEmulator({
  port: Number(values.port),
  host: values.host,
  connectedApps: [
    {
      consumerKey: values['consumer-key'],
      certificate: readFileSync(values.certificate, 'utf8'),
      usernames: values.username?.length ? values.username : ['api@company.com'],
    },
  ],
  guideFields: !values.bare,
  apiRequestLimit: Number(values['api-limit']),
  ...(values['assignment-owner'] === undefined ? {} : { assignmentRuleOwnerId: values['assignment-owner'] }),
});

process.stdout.write(`Salesforce emulator listening on ${emulator.url}\n`);

const shutdown = (): void => {
  void emulator.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
