import { readFile } from 'node:fs/promises';
import { readTenantFile } from '../../config/tenants/directory-tenant-source.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import { asEnrichedCall } from '../../events/decoded-events.js';
import type { EnrichedCall } from '../../events/enriched-call.js';
import { buildCrmCommand } from '../../mapping/build-command.js';
import { callTimelineEntry, timelineLines } from '../../mapping/call-timeline.js';
import { buildMappingView } from '../../mapping/mapping-view.js';
import { previewNotifications } from '../../notifications/notification-preview.js';
import { fixedClock, systemClock } from '../../time/clock.js';
import { defineCommand } from '../define-command.js';

const usage = `usage: leadstream map --config TENANT.json --event ENRICHED.json [--now ISO-TIME]

Prints the CrmCommand the tenant's configuration makes of an enriched call, payloads shown as JSON,
without sending anything: the preview to run before going live. call_timeline shows the entry the
call gets on the record's timeline, as a salesperson reads it (null when the tenant turned
call_timeline off, or for a form). notifications shows what send_notification and send_sms would send,
to whom, with which text (the CRM record's link is known only once delivered), and the actions that
would be skipped with what to configure. --now fixes the clock (today(), due dates) so a replayed call maps
as it did.`;

export const mapCommand = defineCommand({
  name: 'map',
  summary: 'preview the CRM command a tenant configuration makes of an enriched call',
  usage,
  options: { config: { type: 'string' }, event: { type: 'string' }, now: { type: 'string' } },
  positionals: false,
  async run({ values, refuse }, io) {
    if (values.config === undefined) return refuse('missing --config TENANT.json');
    if (values.event === undefined) return refuse('missing --event ENRICHED.json');
    const now = values.now === undefined ? undefined : new Date(values.now);
    if (now && Number.isNaN(now.getTime())) return refuse(`--now "${values.now}" is not an ISO date-time`);
    const tenant = await readTenantFile(values.config);
    for (const warning of tenant.warnings) {
      io.stderr.write(`${values.config}: warning: ${warning.path}: ${warning.message}\n`);
    }
    if (!tenant.config) {
      for (const issue of tenant.issues)
        io.stderr.write(`${values.config}: ${issue.path}: ${issue.message}\n`);
      return 1;
    }
    let event: EnrichedCall;
    try {
      event = asEnrichedCall(JSON.parse(await readFile(values.event, 'utf8')));
    } catch (error) {
      io.stderr.write(`${values.event}: not an enriched call: ${(error as Error).message}\n`);
      return 1;
    }
    try {
      const clock = now ? fixedClock(now) : systemClock;
      const command = buildCrmCommand(event, tenant.config, clock);
      const logged = command.operations.find((operation) => operation.kind === 'log_call');
      const entry =
        logged === undefined ? undefined : callTimelineEntry(event, { view: buildMappingView(event), clock });
      const readable = {
        ...command,
        operations: command.operations.map(({ payload_json, ...operation }) => ({
          ...operation,
          payload: JSON.parse(payload_json) as unknown,
        })),
        call_timeline:
          logged === undefined || entry === undefined
            ? null
            : {
                ref: logged.ref,
                object_type: logged.object_type,
                on: logged.link_to,
                title: entry.title,
                summary: timelineLines(entry),
              },
        notifications: previewNotifications(command, tenant.config, clock.now()),
      };
      io.stdout.write(`${JSON.stringify(readable, null, 2)}\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof LeadstreamError)) throw error;
      io.stderr.write(`${error.type}: ${error.message}\n`);
      return 1;
    }
  },
});
