import { callTimelineEntry, isPhoneCall, timelineHtml } from '../../mapping/call-timeline.js';
import { type CommandBuilder, displayName, isLead, operation } from '../../mapping/command-builder.js';
import { compileFieldRecord, evaluateFields } from '../../mapping/field-value.js';
import { mappingEnvironment } from '../../mapping/mapping-environment.js';
import type { MappingIssues } from '../../mapping/mapping-issues.js';
import { compileTemplate } from '../../mapping/templates.js';
import { compileTriggers } from '../../mapping/workflow-triggers.js';
import { leadActions, workflowOperation } from '../workflow-operations.js';
import type { PipedriveCrmConfig } from './config.js';
import type {
  PipedriveCallPayload,
  PipedriveDealPayload,
  PipedrivePersonPayload,
  PipedriveTaskPayload,
} from './payloads.js';

const DAY_MS = 86_400_000;

/** A time as call logs take it: `YYYY-MM-DD HH:MM:SS`, UTC. */
const callLogTime = (time: Date) => time.toISOString().slice(0, 19).replace('T', ' ');

/**
 * Pipedrive: a person from `field_mappings` and `custom_fields` (by name; keys are resolved at
 * delivery), and a deal from `deal_settings`: its title from `title_template`, its value from
 * `value_estimation` by project type (`default` otherwise), in the configured pipeline and stage;
 * a `create_task` action's follow-up activity (its subject, due day and note decided here, on the
 * mapper's clock); the call itself as a call log on the person and deal unless `call_timeline` is off.
 */
export function compilePipedriveCommand(config: PipedriveCrmConfig, issues: MappingIssues): CommandBuilder {
  const settings = config.deal_settings;
  const estimation = settings?.value_estimation ?? {};
  // The deal's value table is also the formulas' project_value_map, unless the tenant declares one.
  const env = mappingEnvironment(
    config.value_maps,
    Object.keys(estimation).length > 0 ? { project_value_map: estimation } : {},
  );
  const personFields = compileFieldRecord(config.field_mappings, 'crm_config.field_mappings', env, issues);
  const customFields = compileFieldRecord(config.custom_fields, 'crm_config.custom_fields', env, issues);
  const dealCustomFields = compileFieldRecord(
    config.deal_custom_fields,
    'crm_config.deal_custom_fields',
    env,
    issues,
  );
  const title = settings
    ? issues.attempt('crm_config.deal_settings.title_template', () =>
        compileTemplate(settings.title_template, env),
      )
    : undefined;
  const triggers = compileTriggers(config.workflow_triggers, 'crm_config.workflow_triggers', env, issues);
  if (settings && Object.keys(estimation).length > 0 && estimation.default === undefined) {
    issues.warn(
      'crm_config.deal_settings.value_estimation',
      'no "default": deals of other project types get no value',
    );
  }
  const ownerId = config.default_owner ?? null;

  return (event, scope) => {
    const person: PipedrivePersonPayload = {
      fields: evaluateFields(personFields, scope),
      custom_fields: evaluateFields(customFields, scope),
      owner_id: ownerId,
    };
    if (person.fields.name === undefined) {
      // Pipedrive refuses a person without a name; the number is what the salesperson has.
      person.fields.name = displayName(scope, 'New lead');
    }
    const operations = [operation('person', 'upsert_contact', 'persons', person)];
    if (isLead(event) && settings && title) {
      const projectType = event.ai_analysis.project_type;
      const value = estimation[projectType] ?? estimation.default ?? null;
      const rendered = String(title(scope) ?? '').trim();
      const deal: PipedriveDealPayload = {
        title: rendered === '' ? String(person.fields.name) : rendered,
        value,
        currency: settings.currency,
        pipeline_id: config.pipeline_id ?? null,
        stage_id: config.stage_id ?? null,
        owner_id: ownerId,
        expected_close_date:
          settings.expected_close_days === undefined
            ? null
            : new Date(scope.clock.now().getTime() + settings.expected_close_days * DAY_MS)
                .toISOString()
                .slice(0, 10),
        custom_fields: evaluateFields(dealCustomFields, scope),
      };
      operations.push(operation('deal', 'create_deal', 'deals', deal, { link_to: 'person' }));
    }
    const fired = triggers.fired(scope);
    for (const action of leadActions(event, fired)) {
      const payload: PipedriveTaskPayload | Record<string, never> =
        action === 'create_task'
          ? {
              subject: `Follow up with ${person.fields.name}`,
              due_date: scope.clock.now().toISOString().slice(0, 10),
              note:
                fired.length > 0 ? `Triggered by ${fired.map((trigger) => trigger.name).join(', ')}` : null,
            }
          : {};
      operations.push(workflowOperation(action, 'persons', 'person', payload));
    }
    if (config.call_timeline.enabled && isPhoneCall(event)) {
      const entry = callTimelineEntry(event, scope);
      const call: PipedriveCallPayload = {
        subject: entry.title,
        note: timelineHtml(entry),
        outcome: entry.answered ? 'connected' : 'no_answer',
        duration: entry.durationSeconds,
        start_time: callLogTime(entry.startedAt),
        end_time: callLogTime(new Date(entry.startedAt.getTime() + entry.durationSeconds * 1000)),
        to_phone_number: entry.toNumber,
        from_phone_number: entry.fromNumber,
      };
      // A call log needs the number called; without one the call is a done activity of type call.
      const objectType = call.to_phone_number === null ? 'activities' : 'callLogs';
      operations.push(operation('call', 'log_call', objectType, call, { link_to: 'person' }));
    }
    return { operations, triggered: fired.map((trigger) => trigger.name) };
  };
}
