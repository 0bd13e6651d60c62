import type { Notification } from '../events/notification.js';
import type { LeadSummary } from './lead-summary.js';

/** The values a notification or SMS template may name, as `{{name}}`. */
export const TEMPLATE_FIELDS = [
  'name',
  'phone',
  'email',
  'project',
  'timeline',
  'budget',
  'score',
  'reasons',
  'crm_link',
  'call_id',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The names a template's placeholders use, as written (unknown ones included, for validation). */
export function templatePlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

/** How many score reasons a message lists: the top ones, as the analyzer ordered them. */
const TOP_REASONS = 3;

const readable = (value: string) => value.replace(/_/g, ' ');

export interface MessageFacts {
  lead: LeadSummary;
  callId: string;
  crmLink: string | null;
}

export function templateValues({ lead, callId, crmLink }: MessageFacts): Record<TemplateField, string> {
  return {
    name: lead.name,
    phone: lead.phone ?? '',
    email: lead.email ?? '',
    project: readable(lead.project_type),
    timeline: readable(lead.timeline),
    budget: readable(lead.budget),
    score: String(lead.lead_score),
    reasons: lead.score_reasons.slice(0, TOP_REASONS).join('; '),
    crm_link: crmLink ?? '',
    call_id: callId,
  };
}

/**
 * Fills a template in one pass: each placeholder is replaced by its value, and a value is never read
 * again, so text a caller controls cannot become a placeholder. `inert` makes a value inert in the
 * channel's format (Slack's `<...>` links and mentions); the tenant's own text is left as written.
 */
export function renderTemplate(
  template: string,
  facts: MessageFacts,
  inert: (value: string) => string = (value) => value,
): string {
  const values = templateValues(facts);
  // A value is one line: a caller's line break cannot start a line (or a header) of its own.
  return template.replace(PLACEHOLDER, (_whole, name: string) =>
    name in values ? inert(values[name as TemplateField].replace(/[\r\n\t\v\f\u2028\u2029]+/g, ' ')) : '',
  );
}

/** A line of a default message, left out when the value it exists to show is empty. */
interface DefaultLine {
  text: string;
  needs?: TemplateField;
}

/** The message when the tenant wrote no template: who, how to reach them, what and when, why hot, where. */
export const DEFAULT_NOTIFICATION: readonly DefaultLine[] = [
  { text: 'New lead: {{name}} {{phone}} {{email}}' },
  { text: 'Project: {{project}}, timeline: {{timeline}}, budget: {{budget}}' },
  { text: 'Lead score {{score}}: {{reasons}}' },
  { text: 'CRM record: {{crm_link}}', needs: 'crm_link' },
];

/** An SMS is short: one segment where it can be. */
export const DEFAULT_SMS: readonly DefaultLine[] = [
  { text: 'New lead {{name}} {{phone}}: {{project}}, {{timeline}}, score {{score}}. {{crm_link}}' },
];

/** A default message: its lines that have something to show, without the gaps empty values leave. */
function defaultMessage(
  lines: readonly DefaultLine[],
  facts: MessageFacts,
  inert?: (value: string) => string,
) {
  const values = templateValues(facts);
  return lines
    .filter((line) => line.needs === undefined || values[line.needs] !== '')
    .map((line) =>
      renderTemplate(line.text, facts, inert)
        .replace(/[ \t]{2,}/g, ' ')
        .replace(/ ([:,.])/g, '$1')
        .trim()
        .replace(/:$/, ''),
    )
    .join('\n');
}

/** The tenant's template filled, or the default message. */
export function composeMessage(
  template: string | undefined,
  fallback: readonly DefaultLine[],
  facts: MessageFacts,
  inert?: (value: string) => string,
): string {
  return template === undefined
    ? defaultMessage(fallback, facts, inert)
    : renderTemplate(template, facts, inert);
}

export function factsOf(notification: Notification): MessageFacts {
  return { lead: notification.lead, callId: notification.call_id, crmLink: notification.crm_record_url };
}
