import { callTimelineEntry, isPhoneCall, timelineText } from '../../mapping/call-timeline.js';
import { type CommandBuilder, operation } from '../../mapping/command-builder.js';
import { compileFieldRecord, evaluateFields } from '../../mapping/field-value.js';
import { mappingEnvironment } from '../../mapping/mapping-environment.js';
import type { MappingIssues } from '../../mapping/mapping-issues.js';
import { compileTriggers } from '../../mapping/workflow-triggers.js';
import { leadActions, workflowOperation } from '../workflow-operations.js';
import type { ZohoCrmConfig } from './config.js';
import type { ZohoCallPayload, ZohoUpsertPayload } from './payloads.js';

/** Zoho refuses a Lead without Last_Name; a caller often gives none. */
const NOT_PROVIDED = '[not provided]';

/** Seconds as Zoho's `mm:ss` call duration. */
function callDuration(seconds: number): string {
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * Zoho CRM: one record of the module (Leads) upserted by `duplicate_check_fields`, and the call
 * itself as a Calls record on it unless `call_timeline` is off.
 */
export function compileZohoCommand(config: ZohoCrmConfig, issues: MappingIssues): CommandBuilder {
  const env = mappingEnvironment(config.value_maps);
  const fields = compileFieldRecord(config.field_mappings, 'crm_config.field_mappings', env, issues);
  const triggers = compileTriggers(config.workflow_triggers, 'crm_config.workflow_triggers', env, issues);
  for (const [index, field] of config.duplicate_check_fields.entries()) {
    if (!(field in config.field_mappings)) {
      issues.warn(
        `crm_config.duplicate_check_fields[${index}]`,
        `${field} is not in field_mappings, so it never matches`,
      );
    }
  }

  return (event, scope) => {
    const record = evaluateFields(fields, scope);
    if (config.module === 'Leads' && record.Last_Name === undefined) {
      if (typeof record.First_Name === 'string') {
        record.Last_Name = record.First_Name;
        delete record.First_Name;
      } else {
        record.Last_Name = NOT_PROVIDED;
      }
    }
    const payload: ZohoUpsertPayload = {
      record,
      duplicate_check_fields: config.duplicate_check_fields,
      trigger: config.trigger,
    };
    const operations = [operation('lead', 'upsert_lead', config.module, payload)];
    const fired = triggers.fired(scope);
    for (const action of leadActions(event, fired)) {
      operations.push(workflowOperation(action, config.module, 'lead'));
    }
    if (config.call_timeline.enabled && isPhoneCall(event)) {
      const entry = callTimelineEntry(event, scope);
      const call: ZohoCallPayload = {
        record: {
          Subject: entry.title.slice(0, 255),
          // Zoho's own type for a call nobody answered; its duration is then 00:00.
          Call_Type: entry.answered ? 'Inbound' : 'Missed',
          Call_Start_Time: `${entry.startedAt.toISOString().slice(0, 19)}+00:00`,
          Call_Duration: callDuration(entry.durationSeconds),
          Description: timelineText(entry).slice(0, 32_000),
        },
      };
      operations.push(operation('call', 'log_call', 'Calls', call, { link_to: 'lead' }));
    }
    return { operations, triggered: fired.map((trigger) => trigger.name) };
  };
}
