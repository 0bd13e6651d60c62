import { generateKeyPairSync } from 'node:crypto';
import { type ConnectedApp, startSalesforceEmulator } from '../../../emulators/salesforce/emulator.js';
import { CALLER_PHONE, describeCrmContract, operationsOf, secretRef } from '../../../support/crm-contract.js';
import { guideCrmConfig } from '../../../support/guide-fixtures.js';

const CONSUMER_KEY = '3MVG9A2kN3Bn17hsContractConsumerKey';
const USERNAME = 'contract-api@company.com';

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}
// Key generation takes a moment: one pair before and one after a rotation serve the file.
const KEYS = keyPair();
const ROTATED_KEYS = keyPair();

describeCrmContract({
  crm: 'salesforce',
  callerKind: 'leads',
  // The guide's block: a lead and its follow-up task, and the call on the timeline (a Task of subtype Call).
  created: (command) => ({ leads: 1, tasks: 1, calls: operationsOf(command, 'log_call') }),
  mapped: (score) => ({ Phone: CALLER_PHONE, FirstName: 'Jane', LastName: 'Doe', AI_Lead_Score__c: score }),
  // REQUEST_LIMIT_EXCEEDED names no wait; the org's 24-hour budget is rechecked after five minutes.
  rateLimitDelayMs: 5 * 60_000,
  async start() {
    const app: ConnectedApp = {
      consumerKey: CONSUMER_KEY,
      certificate: KEYS.publicKey,
      usernames: [USERNAME],
    };
    const emulator = await startSalesforceEmulator({
      connectedApps: [app],
      assignmentRuleOwnerId: '0055g000000TopRepAAA',
    });
    return {
      crmConfig: {
        ...guideCrmConfig('salesforce'),
        instance_url: emulator.url,
        login_url: emulator.url,
        consumer_key: secretRef('contract-sf-consumer-key'),
        private_key: secretRef('contract-sf-private-key'),
        username: secretRef('contract-sf-username'),
        duplicate_detection: { enabled: true, match_fields: ['phone', 'email'] },
      },
      secrets: {
        'contract-sf-consumer-key': CONSUMER_KEY,
        'contract-sf-private-key': KEYS.privateKeyPem,
        'contract-sf-username': USERNAME,
      },
      emulator: {
        counts() {
          const calls = emulator.tasks().filter((task) => task.fields.TaskSubtype === 'Call').length;
          return { leads: emulator.leads().length, tasks: emulator.tasks().length - calls, calls };
        },
        callerRecord: () => emulator.leads()[0]?.fields,
        rateLimitNext: () => emulator.requestLimitNext(1),
        revokeCredential() {
          // The user's pre-authorization withdrawn from the connected app, and its sessions ended.
          app.usernames.splice(0);
          emulator.expireTokens();
        },
        rotateCredential() {
          // A new certificate uploaded to the connected app; the sessions signed with the old key end.
          app.certificate = ROTATED_KEYS.publicKey;
          emulator.expireTokens();
          return { 'contract-sf-private-key': ROTATED_KEYS.privateKeyPem };
        },
        stop: () => emulator.stop(),
      },
    };
  },
});
