import { callTimelineEntry, isHttpsUrl, isPhoneCall, timelineHtml } from '../../mapping/call-timeline.js';
import { type CommandBuilder, displayName, isLead, operation } from '../../mapping/command-builder.js';
import { compileFieldRecord, compileFieldValue, evaluateFields } from '../../mapping/field-value.js';
import { mappingEnvironment } from '../../mapping/mapping-environment.js';
import type { MappingIssues } from '../../mapping/mapping-issues.js';
import { coerceTyped } from '../../mapping/typed-values.js';
import { compileTriggers } from '../../mapping/workflow-triggers.js';
import { leadActions, workflowOperation } from '../workflow-operations.js';
import type { HubSpotCrmConfig } from './config.js';
import type { HubSpotObjectPayload } from './payloads.js';

type Properties = HubSpotObjectPayload['properties'];

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

function ownerEmail(config: HubSpotCrmConfig): { owner_email?: string } {
  return config.contact_owner?.includes('@') ? { owner_email: config.contact_owner } : {};
}

/**
 * HubSpot: the contact with its field mappings and typed custom properties; a deal in the configured
 * pipeline and stage; for fired workflow triggers a follow-up task (`create_task`) and the other
 * actions (`assign_owner`, `send_notification`, `send_sms`) as workflow operations on the contact;
 * the call itself as a calls engagement on the contact (and deal) unless `call_timeline` is off.
 */
export function compileHubSpotCommand(config: HubSpotCrmConfig, issues: MappingIssues): CommandBuilder {
  const env = mappingEnvironment(config.value_maps);
  const fields = compileFieldRecord(config.field_mappings, 'crm_config.field_mappings', env, issues);
  const customProperties = config.custom_properties.flatMap((custom, index) => {
    const value = compileFieldValue(
      custom.value,
      `crm_config.custom_properties[${index}].value`,
      env,
      issues,
    );
    return value ? [{ ...custom, value }] : [];
  });
  const triggers = compileTriggers(config.workflow_triggers, 'crm_config.workflow_triggers', env, issues);
  const hasDeal = config.pipeline_id !== undefined || config.deal_stage !== undefined;

  return (event, scope) => {
    const contact: Properties = evaluateFields(fields, scope);
    for (const custom of customProperties) {
      const value = coerceTyped(custom.name, custom.type, custom.value(scope), custom.options);
      if (value !== null) contact[custom.name] = value;
    }
    const operations = [operation('contact', 'upsert_contact', 'contacts', { properties: contact })];
    const analysis = event.ai_analysis;
    const who = displayName(scope);

    if (isLead(event) && hasDeal) {
      const deal: Properties = {
        dealname: `${who} - ${analysis.project_type} project`,
        pipeline: config.pipeline_id ?? 'default',
      };
      if (config.deal_stage !== undefined) deal.dealstage = config.deal_stage;
      operations.push(
        operation(
          'deal',
          'create_deal',
          'deals',
          { properties: deal, ...ownerEmail(config) },
          { link_to: 'contact' },
        ),
      );
    }

    const fired = triggers.fired(scope);
    for (const action of leadActions(event, fired)) {
      if (action === 'create_task') {
        const due = scope.clock.now().getTime() + (analysis.timeline === 'immediate' ? HOUR_MS : DAY_MS);
        const task: Properties = {
          hs_task_subject: `Call back ${who} (${analysis.project_type}, score ${analysis.lead_score})`,
          hs_task_body: analysis.score_reasons.join('; '),
          hs_timestamp: new Date(due).toISOString(),
          hs_task_status: 'NOT_STARTED',
          hs_task_priority: analysis.urgency === 'high' || analysis.lead_score > 80 ? 'HIGH' : 'MEDIUM',
          hs_task_type: 'CALL',
        };
        operations.push(
          operation(
            'task',
            'create_task',
            'tasks',
            { properties: task, ...ownerEmail(config) },
            { link_to: 'contact' },
          ),
        );
      } else {
        const payload = { properties: {}, ...(action === 'assign_owner' ? ownerEmail(config) : {}) };
        operations.push(workflowOperation(action, 'contacts', 'contact', payload));
      }
    }
    if (config.call_timeline.enabled && isPhoneCall(event)) {
      const entry = callTimelineEntry(event, scope);
      const call: Properties = {
        hs_timestamp: entry.startedAt.toISOString(),
        hs_call_title: entry.title,
        hs_call_body: timelineHtml(entry),
        hs_call_duration: entry.durationSeconds * 1000,
        hs_call_direction: 'INBOUND',
        hs_call_status: entry.answered ? 'COMPLETED' : 'NO_ANSWER',
      };
      if (isHttpsUrl(entry.recordingUrl)) call.hs_call_recording_url = entry.recordingUrl;
      if (entry.fromNumber !== null) call.hs_call_from_number = entry.fromNumber;
      if (entry.toNumber !== null) call.hs_call_to_number = entry.toNumber;
      operations.push(
        operation(
          'call',
          'log_call',
          'calls',
          { properties: call, ...ownerEmail(config) },
          { link_to: 'contact' },
        ),
      );
    }
    return { operations, triggered: fired.map((trigger) => trigger.name) };
  };
}
