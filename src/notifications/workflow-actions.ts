import type { TenantConfig } from '../config/tenants/tenant-config.js';
import type { ConfigIssue } from '../config/validation-issues.js';
import type { CrmType } from '../events/crm-command.js';

/** The workflow actions the notifier carries out, whatever the CRM. */
export const NOTIFIER_ACTIONS = ['send_notification', 'send_sms'] as const;
export type NotifierAction = (typeof NOTIFIER_ACTIONS)[number];

export function isNotifierAction(action: string | null): action is NotifierAction {
  return (NOTIFIER_ACTIONS as readonly string[]).includes(action ?? '');
}

/**
 * The actions each CRM adapter carries out itself (src/crm/<name>/): HubSpot creates the task and sets
 * the contact owner, Salesforce creates the task and runs the org's lead assignment rule for any
 * `assign_*`, Pipedrive creates a call activity. Anything else would only be logged as skipped.
 */
const CRM_ACTIONS: Readonly<Record<CrmType, { names: readonly string[]; prefix?: string }>> = {
  hubspot: { names: ['create_task', 'assign_owner'] },
  salesforce: { names: ['create_task'], prefix: 'assign_' },
  pipedrive: { names: ['create_task'] },
  monday: { names: [] },
  zoho: { names: [] },
  custom: { names: [] },
};

function knownActions(crm: CrmType): string[] {
  const own = CRM_ACTIONS[crm];
  return [...own.names, ...(own.prefix ? [`${own.prefix}*`] : []), ...NOTIFIER_ACTIONS];
}

function isKnown(crm: CrmType, action: string): boolean {
  const own = CRM_ACTIONS[crm];
  return (
    own.names.includes(action) ||
    (own.prefix !== undefined && action.startsWith(own.prefix) && action.length > own.prefix.length) ||
    isNotifierAction(action)
  );
}

function triggersOf(config: TenantConfig): { key: string; triggers: Record<string, { actions: string[] }> } {
  const crm = config.crm_config;
  return crm.type === 'salesforce'
    ? { key: 'workflow_rules', triggers: crm.workflow_rules }
    : { key: 'workflow_triggers', triggers: crm.workflow_triggers };
}

/**
 * What the tenant's workflow actions would do: an action nothing implements is an error (listing the
 * known ones); a notifier action with nowhere to go is a warning saying what to add, since the guide's
 * own blocks name `send_sms` without saying to whom and must still load (the action is then skipped
 * at run time, counted and logged).
 */
export function workflowActionIssues(config: TenantConfig): {
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
} {
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const crm = config.crm_config.type;
  const { key, triggers } = triggersOf(config);
  for (const [name, trigger] of Object.entries(triggers)) {
    trigger.actions.forEach((action, index) => {
      const path = `crm_config.${key}.${name}.actions[${index}]`;
      if (!isKnown(crm, action)) {
        errors.push({
          path,
          message: `unknown action "${action}": ${crm} runs ${knownActions(crm).join(', ')}`,
        });
        return;
      }
      const missing = actionSkipReason(config, action);
      if (missing !== undefined)
        warnings.push({ path, message: `${action} will be skipped: ${SKIP_ADVICE[missing]}` });
    });
  }
  return { errors, warnings };
}

export type SkipReason = 'no_channel' | 'no_recipient';

const SKIP_ADVICE: Readonly<Record<SkipReason, string>> = {
  no_channel: 'add notifications.channels (slack, email or webhook)',
  no_recipient:
    'add notifications.sms with account_sid, auth_token, from and the reps in to (or text_caller)',
};

export function skipAdvice(reason: SkipReason): string {
  return SKIP_ADVICE[reason];
}

/** Why a notifier action has nowhere to go for this tenant, or undefined when it has somewhere. */
export function actionSkipReason(config: TenantConfig, action: string): SkipReason | undefined {
  if (action === 'send_notification') {
    return (config.notifications?.channels.length ?? 0) > 0 ? undefined : 'no_channel';
  }
  if (action === 'send_sms') {
    const sms = config.notifications?.sms;
    return sms !== undefined && (sms.to.length > 0 || sms.text_caller !== undefined)
      ? undefined
      : 'no_recipient';
  }
  return undefined;
}
