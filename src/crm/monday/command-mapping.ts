import { callTimelineEntry, escapeHtml, isPhoneCall, timelineHtml } from '../../mapping/call-timeline.js';
import { type CommandBuilder, displayName, operation } from '../../mapping/command-builder.js';
import { compileFieldRecord, evaluateFields } from '../../mapping/field-value.js';
import { mappingEnvironment } from '../../mapping/mapping-environment.js';
import type { MappingIssues } from '../../mapping/mapping-issues.js';
import { compileTemplate } from '../../mapping/templates.js';
import { compileTriggers } from '../../mapping/workflow-triggers.js';
import { leadActions, workflowOperation } from '../workflow-operations.js';
import type { MondayCrmConfig } from './config.js';
import type { MondayItemPayload, MondayUpdatePayload } from './payloads.js';

const PHONE_PATHS = new Set(['customer_phone', 'caller_id', 'phone']);
const EMAIL_PATHS = new Set(['customer_email', 'email']);

/**
 * Monday.com: one item on the board, named by `item_name_template`, its columns from
 * `column_mappings` by title. Duplicates are found by the column mapped from the caller's phone (or
 * e-mail), as the duplicate rule orders. The call itself is an update on the item unless
 * `call_timeline` is off.
 */
export function compileMondayCommand(config: MondayCrmConfig, issues: MappingIssues): CommandBuilder {
  const env = mappingEnvironment(config.value_maps);
  const columns = compileFieldRecord(config.column_mappings, 'crm_config.column_mappings', env, issues);
  const itemName = issues.attempt('crm_config.item_name_template', () =>
    compileTemplate(config.item_name_template, env),
  );
  const triggers = compileTriggers(config.workflow_triggers, 'crm_config.workflow_triggers', env, issues);

  const detection = config.duplicate_detection;
  const columnFor = (paths: ReadonlySet<string>) =>
    Object.entries(config.column_mappings).find(
      ([, mapping]) => typeof mapping === 'string' && paths.has(mapping),
    )?.[0];
  const matchColumns = (detection?.enabled ? detection.match_fields : []).flatMap((field) => {
    const title = columnFor(field === 'phone' ? PHONE_PATHS : EMAIL_PATHS);
    return title === undefined ? [] : [title];
  });
  if (detection?.enabled && matchColumns.length === 0) {
    issues.warn(
      'crm_config.duplicate_detection.match_fields',
      'no column is mapped from customer_phone or customer_email, so duplicates cannot be found',
    );
  }

  return (event, scope) => {
    const values = evaluateFields(columns, scope);
    const name = String(itemName?.(scope) ?? '').trim();
    const match = matchColumns.find((title) => values[title] !== undefined);
    const item: MondayItemPayload = {
      board_id: config.board_id,
      group_id: config.group_id ?? null,
      item_name: name === '' ? displayName(scope, 'New lead') : name,
      columns: values,
      match_column: match ?? null,
      match_value: match === undefined ? null : String(values[match]),
    };
    const operations = [operation('item', 'upsert_contact', 'items', item)];
    const fired = triggers.fired(scope);
    for (const action of leadActions(event, fired)) {
      operations.push(workflowOperation(action, 'items', 'item'));
    }
    if (config.call_timeline.enabled && isPhoneCall(event)) {
      const entry = callTimelineEntry(event, scope);
      const minutes = Math.floor(entry.durationSeconds / 60);
      const length = `${minutes}:${String(entry.durationSeconds % 60).padStart(2, '0')}`;
      const heading = `${entry.title} on ${entry.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${entry.answered ? length : 'not answered'}`;
      const update: MondayUpdatePayload = {
        body: `<p><strong>${escapeHtml(heading)}</strong></p>${timelineHtml(entry)}`,
      };
      operations.push(operation('call', 'log_call', 'updates', update, { link_to: 'item' }));
    }
    return { operations, triggered: fired.map((trigger) => trigger.name) };
  };
}
