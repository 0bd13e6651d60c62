import type { TenantConfig } from '../config/tenants/tenant-config.js';
import type { ConfigIssue } from '../config/validation-issues.js';
import { crmCatalog } from '../crm/catalog.js';
import type { CrmType } from '../events/crm-command.js';

/** The workflow actions the notifier carries out, whatever the CRM. */
export const NOTIFIER_ACTIONS = ['send_notification', 'send_sms'] as const;
export type NotifierAction = (typeof NOTIFIER_ACTIONS)[number];

export function isNotifierAction(action: string | null): action is NotifierAction {
  return (NOTIFIER_ACTIONS as readonly string[]).includes(action ?? '');
}

/** The actions a CRM's adapter carries out itself, as its definition declares (src/crm/<name>/definition.ts). */
function knownActions(crm: CrmType): string[] {
  const own = crmCatalog[crm].workflowActions;
  return [...own.names, ...(own.prefix ? [`${own.prefix}*`] : []), ...NOTIFIER_ACTIONS];
}

function isKnown(crm: CrmType, action: string): boolean {
  const own = crmCatalog[crm].workflowActions;
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
