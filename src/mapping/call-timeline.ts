import type { EnrichedCall } from '../events/enriched-call.js';
import { isPhoneCall as isPhoneCallRecord } from '../events/raw-call.js';
import { displayName } from './command-builder.js';
import type { ExpressionScope } from './expressions/compile-expression.js';

/** One line of the summary a salesperson reads on the record: a label and its value. */
interface SummaryLine {
  label: string;
  value: string;
  /** The value is a URL a reader opens (the recording). */
  link?: boolean;
}

/**
 * The call as each CRM's timeline shows it, before it is shaped into that CRM's activity. Values the
 * caller controls (name, reasons drawn from the transcript) are carried as data: they are never read
 * as a template, and every HTML rendering escapes them.
 */
export interface CallTimelineEntry {
  /** What a timeline lists: "Inbound call from Jane Doe". */
  title: string;
  summary: SummaryLine[];
  startedAt: Date;
  durationSeconds: number;
  /** False when nobody picked up (a missed call or a voicemail). */
  answered: boolean;
  /** The caller's number, E.164. */
  fromNumber: string | null;
  /** The tracking number the caller dialled. */
  toNumber: string | null;
  recordingUrl: string | null;
}

const WANTS: Readonly<Record<string, string>> = {
  quote_request: 'a quote',
  information_seeking: 'information',
  appointment_booking: 'an appointment',
  existing_customer: 'help with an existing project',
  spam: 'nothing (spam)',
  wrong_number: 'nothing (wrong number)',
  unknown: 'not clear from the call',
};

const readable = (value: string) => value.replace(/_/g, ' ');

/** Only phone calls go on the timeline: a form submission or another upstream lead is no call. */
export function isPhoneCall(event: EnrichedCall): boolean {
  return isPhoneCallRecord(event.call);
}

export function callTimelineEntry(event: EnrichedCall, scope: ExpressionScope): CallTimelineEntry {
  const { call, ai_analysis: analysis } = event;
  const who = displayName(scope, 'unknown caller');
  const fromNumber = typeof scope.view.customer_phone === 'string' ? scope.view.customer_phone : null;
  const reasons = analysis.score_reasons.length > 0 ? ` (${analysis.score_reasons.join('; ')})` : '';
  const summary: SummaryLine[] = [
    { label: 'Caller', value: fromNumber !== null && who !== fromNumber ? `${who}, ${fromNumber}` : who },
    { label: 'Wants', value: WANTS[analysis.intent] ?? readable(analysis.intent) },
    { label: 'Project', value: readable(analysis.project_type) },
    { label: 'Timeline', value: readable(analysis.timeline) },
    { label: 'Budget', value: analysis.budget_indicator },
    { label: 'Lead score', value: `${analysis.lead_score}/100${reasons}` },
  ];
  if (call.recording_url !== null)
    summary.push({ label: 'Recording', value: call.recording_url, link: true });
  return {
    title: `Inbound call from ${who}`,
    summary,
    startedAt: new Date(call.start_time ?? call.received_at),
    durationSeconds: Math.max(0, Math.round(call.duration_seconds ?? 0)),
    answered: call.answered !== false && call.voicemail !== true,
    fromNumber,
    toNumber: call.tracking_number,
    recordingUrl: call.recording_url,
  };
}

/** The summary's lines as a reader sees them: `Label: value`. */
export function timelineLines(entry: CallTimelineEntry): string[] {
  return entry.summary.map((line) => `${line.label}: ${line.value}`);
}

/** The summary as plain text, a line per label, for CRMs whose activity body is text. */
export function timelineText(entry: CallTimelineEntry): string {
  return timelineLines(entry).join('\n');
}

/** Text as HTML shows it verbatim: what a caller said never becomes markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The summary as HTML, for CRMs whose activity body is HTML: every value escaped, the recording a link. */
export function timelineHtml(entry: CallTimelineEntry): string {
  return entry.summary
    .map((line) => {
      const value = escapeHtml(line.value);
      const shown =
        line.link === true && /^https?:\/\//i.test(line.value) ? `<a href="${value}">${value}</a>` : value;
      return `<p><strong>${escapeHtml(line.label)}:</strong> ${shown}</p>`;
    })
    .join('');
}

/** Whether a recording URL is one a CRM's player field takes (HubSpot wants https). */
export function isHttpsUrl(url: string | null): url is string {
  return url !== null && /^https:\/\/[^\s]+$/i.test(url);
}
