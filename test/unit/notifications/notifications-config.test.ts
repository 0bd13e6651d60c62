import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { parseTenantFile } from '../../../src/config/tenants/directory-tenant-source.js';
import { guideCrmConfig } from '../../support/guide-fixtures.js';

const SMS = {
  account_sid: 'secret:projects/p/secrets/twilio-sid/versions/latest',
  auth_token: 'secret:projects/p/secrets/twilio-token/versions/latest',
  from: '+15005550006',
  to: ['+15551230001'],
};

function parse(fields: Record<string, unknown>) {
  return parseTenantFile('tenant.json', JSON.stringify({ tenant_id: 't', ...fields }));
}

describe('workflow actions and the notifications block', () => {
  it("loads the guide's HubSpot block as written, warning that its notification and SMS have nowhere to go", () => {
    const result = parse({ crm_config: guideCrmConfig('hubspot') });
    expect(result.issues).toEqual([]);
    expect(result.warnings).toEqual([
      {
        path: 'crm_config.workflow_triggers.high_value_lead.actions[0]',
        message: 'send_notification will be skipped: add notifications.channels (slack, email or webhook)',
      },
      {
        path: 'crm_config.workflow_triggers.immediate_timeline.actions[1]',
        message: expect.stringMatching(/^send_sms will be skipped: add notifications.sms with account_sid/),
      },
    ]);
  });

  it('warns about nothing once the channels and the reps are configured', () => {
    const result = parse({
      crm_config: guideCrmConfig('hubspot'),
      notifications: {
        channels: [
          { type: 'slack', webhook_url: 'secret:projects/p/secrets/slack/versions/latest' },
          { type: 'email', to: ['sales@example.com'] },
          {
            type: 'webhook',
            url: 'https://hooks.example.com/leads',
            secret: 'secret:projects/p/secrets/h/versions/1',
          },
        ],
        sms: SMS,
      },
    });
    expect(result.issues).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('warns that an SMS block with no rep and no caller opt-in has no recipient', () => {
    const result = parse({
      crm_config: guideCrmConfig('hubspot'),
      notifications: { channels: [{ type: 'email', to: ['a@example.com'] }], sms: { ...SMS, to: [] } },
    });
    expect(result.warnings.map((warning) => warning.message)).toEqual([
      expect.stringContaining('send_sms will be skipped: add notifications.sms'),
    ]);
  });

  it('refuses an action nothing implements, naming the ones the CRM runs', () => {
    const hubspot = guideCrmConfig('hubspot');
    const result = parse({
      crm_config: {
        ...hubspot,
        workflow_triggers: { hot: { condition: 'ai_analysis.lead_score > 80', actions: ['send_fax'] } },
      },
    });
    expect(result.config).toBeUndefined();
    expect(result.issues).toEqual([
      {
        path: 'crm_config.workflow_triggers.hot.actions[0]',
        message:
          'unknown action "send_fax": hubspot runs create_task, assign_owner, send_notification, send_sms',
      },
    ]);
  });

  it("accepts Salesforce's assign_* actions and refuses a Monday task no adapter creates", () => {
    expect(parse({ crm_config: guideCrmConfig('salesforce') }).issues).toEqual([]);
    const monday = parse({
      crm_config: {
        type: 'monday',
        api_token: 'x',
        board_id: '1',
        workflow_triggers: { hot: { condition: 'true', actions: ['create_task'] } },
      },
    });
    expect(monday.issues.map((issue) => issue.message)).toEqual([
      'unknown action "create_task": monday runs send_notification, send_sms',
    ]);
  });

  it('refuses a template placeholder that is not a lead field, and a number that is not E.164', () => {
    const result = parse({
      crm_config: guideCrmConfig('hubspot'),
      notifications: { template: 'Call {{transcription}} now', sms: { ...SMS, from: '555-0100' } },
    });
    expect(result.issues.map((issue) => issue.path)).toEqual([
      'notifications.template',
      'notifications.sms.from',
    ]);
    expect(result.issues[0]?.message).toContain(
      'unknown placeholder {{transcription}}: expected one of name',
    );
  });

  it('tenants validate prints the warnings with the file and still exits 0; an unknown action exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'notify-validate-'));
    const guide = join(dir, 'guide.json');
    await writeFile(guide, JSON.stringify({ tenant_id: 't', crm_config: guideCrmConfig('hubspot') }));
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    expect(await main(['tenants', 'validate', guide], { stdout, stderr, stdin: new PassThrough() })).toBe(0);
    expect(stderr.read()?.toString()).toContain(
      `${guide}: warning: crm_config.workflow_triggers.immediate_timeline.actions[1]: send_sms will be skipped`,
    );
    const bad = join(dir, 'bad.json');
    const hubspot = guideCrmConfig('hubspot');
    await writeFile(
      bad,
      JSON.stringify({
        tenant_id: 't',
        crm_config: { ...hubspot, workflow_triggers: { hot: { condition: 'true', actions: ['page_rep'] } } },
      }),
    );
    const errors = new PassThrough();
    expect(
      await main(['tenants', 'validate', bad], { stdout, stderr: errors, stdin: new PassThrough() }),
    ).toBe(1);
    expect(errors.read()?.toString()).toContain('unknown action "page_rep"');
  });
});
