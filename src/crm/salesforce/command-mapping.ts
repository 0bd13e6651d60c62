import { callTimelineEntry, isPhoneCall, timelineText } from '../../mapping/call-timeline.js';
import { type CommandBuilder, isLead, operation } from '../../mapping/command-builder.js';
import type { ExpressionScope } from '../../mapping/expressions/compile-expression.js';
import { compileFieldRecord, evaluateFields } from '../../mapping/field-value.js';
import type { FieldMapping } from '../../mapping/mapping-config.js';
import { mappingEnvironment } from '../../mapping/mapping-environment.js';
import type { MappingIssues } from '../../mapping/mapping-issues.js';
import { coerceTyped } from '../../mapping/typed-values.js';
import { compileTriggers } from '../../mapping/workflow-triggers.js';
import { leadActions, workflowOperation } from '../workflow-operations.js';
import type { SalesforceCrmConfig } from './config.js';
import type { SalesforceRecordPayload } from './payloads.js';

type Fields = SalesforceRecordPayload['fields'];

/** Task.Status values of a standard org; the guide's "Open" is none of them. */
const TASK_STATUSES = ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'];
const TASK_STATUS_ALIASES: Readonly<Record<string, string>> = { open: 'Not Started', new: 'Not Started' };
/** Task.Subject and Task.Description lengths in a standard org. */
const SUBJECT_LENGTH = 255;
const DESCRIPTION_LENGTH = 32_000;
/** Salesforce refuses a Lead without them; a caller often gives neither. */
const NOT_PROVIDED = '[not provided]';

/** A follow-up task for a create_task action when the tenant mapped none: due tomorrow. */
const DEFAULT_TASK: Readonly<Record<string, FieldMapping>> = {
  Subject: 'Follow up on call',
  Priority: 'High',
  Status: 'Not Started',
  ActivityDate: 'computed:today+1',
  Description: 'transcription',
};

function literalText(mapping: FieldMapping | undefined): string | undefined {
  if (typeof mapping === 'string') return mapping;
  return mapping !== undefined &&
    typeof mapping === 'object' &&
    mapping.type === 'literal' &&
    typeof mapping.value === 'string'
    ? mapping.value
    : undefined;
}

function taskStatus(status: string | number | boolean | undefined): string | number | boolean | undefined {
  if (typeof status !== 'string' || TASK_STATUSES.includes(status)) return status;
  return TASK_STATUS_ALIASES[status.toLowerCase()] ?? status;
}

/**
 * Salesforce: a Lead from `object_mappings.lead` (LastName and Company, which Salesforce requires,
 * filled when the call lacks them), a follow-up Task from `object_mappings.task` linked through WhoId,
 * the actions of fired `workflow_rules`, and the call itself as a completed Task of subtype Call on the
 * lead unless `call_timeline` is off. Picklist fields declared in `picklists` get the
 * picklist's value for an analysis value (`whole_home` → `Whole Home`).
 */
export function compileSalesforceCommand(config: SalesforceCrmConfig, issues: MappingIssues): CommandBuilder {
  const env = mappingEnvironment(config.value_maps);
  const leadFields = compileFieldRecord(
    config.object_mappings.lead,
    'crm_config.object_mappings.lead',
    env,
    issues,
  );
  const taskMapping = config.object_mappings.task;
  const taskFields = compileFieldRecord(
    taskMapping ?? DEFAULT_TASK,
    'crm_config.object_mappings.task',
    env,
    issues,
  );
  const triggers = compileTriggers(config.workflow_rules, 'crm_config.workflow_rules', env, issues);

  const status = literalText(taskMapping?.Status);
  if (status !== undefined && taskStatus(status) !== status) {
    issues.warn(
      'crm_config.object_mappings.task.Status',
      `"${status}" is not a standard Task status (${TASK_STATUSES.join(', ')}); it is sent as "${taskStatus(status)}"`,
    );
  }
  for (const [field, options] of Object.entries(config.picklists)) {
    if (!(field in config.object_mappings.lead) && !(taskMapping !== undefined && field in taskMapping)) {
      issues.warn(`crm_config.picklists.${field}`, `no object mapping writes ${field}`);
    }
    if (options.length === 0) issues.error(`crm_config.picklists.${field}`, 'lists no values');
  }

  const withPicklists = (fields: Fields): Fields => {
    for (const [field, options] of Object.entries(config.picklists)) {
      const value = fields[field];
      if (value !== undefined && value !== null)
        fields[field] = coerceTyped(field, 'enumeration', value, options);
    }
    return fields;
  };

  const leadRecord = (scope: ExpressionScope): Fields => {
    const fields: Fields = withPicklists(evaluateFields(leadFields, scope));
    if (fields.LastName === undefined) {
      if (typeof fields.FirstName === 'string') {
        fields.LastName = fields.FirstName;
        delete fields.FirstName;
      } else {
        fields.LastName = NOT_PROVIDED;
      }
    }
    fields.Company ??= NOT_PROVIDED;
    return fields;
  };

  return (event, scope) => {
    const operations = [operation('lead', 'upsert_lead', 'Lead', { fields: leadRecord(scope) })];
    const fired = triggers.fired(scope);
    const actions = leadActions(event, fired);
    if (isLead(event) && (taskMapping !== undefined || actions.includes('create_task'))) {
      const task: Fields = withPicklists(evaluateFields(taskFields, scope));
      const mapped = taskStatus(task.Status ?? undefined);
      if (mapped !== undefined) task.Status = mapped;
      operations.push(operation('task', 'create_task', 'Task', { fields: task }, { link_to: 'lead' }));
    }
    for (const action of actions.filter((name) => name !== 'create_task')) {
      operations.push(workflowOperation(action, 'Lead', 'lead'));
    }
    if (config.call_timeline.enabled && isPhoneCall(event)) {
      const entry = callTimelineEntry(event, scope);
      const call: Fields = {
        Subject: entry.title.slice(0, SUBJECT_LENGTH),
        TaskSubtype: 'Call',
        CallType: 'Inbound',
        CallDurationInSeconds: entry.durationSeconds,
        CallDisposition: entry.answered ? 'Answered' : 'No answer',
        CallObject: event.call.call_id.slice(0, SUBJECT_LENGTH),
        Status: 'Completed',
        ActivityDate: entry.startedAt.toISOString().slice(0, 10),
        Description: timelineText(entry).slice(0, DESCRIPTION_LENGTH),
      };
      operations.push(operation('call', 'log_call', 'Task', { fields: call }, { link_to: 'lead' }));
    }
    return { operations, triggered: fired.map((trigger) => trigger.name) };
  };
}
