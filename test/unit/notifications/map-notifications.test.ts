import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { guideCrmConfig } from '../../support/guide-fixtures.js';

const EVENT = 'test/fixtures/guide/enriched-call.json';

async function map(tenant: Record<string, unknown>) {
  const file = join(await mkdtemp(join(tmpdir(), 'map-notify-')), 'tenant.json');
  await writeFile(
    file,
    JSON.stringify({ tenant_id: 'acme', crm_config: guideCrmConfig('hubspot'), ...tenant }),
  );
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const code = await main(['map', '--config', file, '--event', EVENT, '--now', '2026-11-25T17:20:00Z'], {
    stdout,
    stderr,
    stdin: new PassThrough(),
  });
  expect(code).toBe(0);
  return JSON.parse(stdout.read().toString()).notifications;
}

describe('leadstream map, notifications', () => {
  it("shows the guide's notification and SMS as skipped, with what to configure", async () => {
    const { sends, skipped } = await map({});
    expect(sends).toEqual([]);
    expect(skipped.map(({ action, reason }: { action: string; reason: string }) => [action, reason])).toEqual(
      [
        ['send_notification', 'no_channel'],
        ['send_sms', 'no_recipient'],
      ],
    );
    expect(skipped[1].advice).toContain('add notifications.sms');
  });

  it('shows each message, to whom, as the notifier would send it', async () => {
    const { sends } = await map({
      notifications: {
        channels: [{ type: 'email', to: ['sales@acme.example'] }],
        sms: {
          account_sid: 'AC1',
          auth_token: 't',
          from: '+15005550006',
          to: ['+15551230001'],
          template: 'Call {{name}} now ({{score}})',
        },
      },
    });
    expect(sends).toEqual([
      {
        action: 'send_notification',
        channel: 'email',
        to: ['sales@acme.example'],
        message: expect.stringContaining('Lead score 92: '),
      },
      { action: 'send_sms', channel: 'sms', to: ['rep:+15551230001'], message: 'Call Jane Doe now (92)' },
    ]);
  });
});
