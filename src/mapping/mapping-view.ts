import { unknownAnalysis } from '../events/ai-analysis.js';
import type { EnrichedCall } from '../events/enriched-call.js';
import { unknownCall } from '../events/raw-call.js';
import { normalizeEmail } from './values/email.js';
import { splitPersonName } from './values/person-name.js';
import { toE164 } from './values/phone.js';

export type MappingValue =
  | string
  | number
  | boolean
  | null
  | MappingValue[]
  | { [key: string]: MappingValue };
export type MappingView = { [key: string]: MappingValue };

/**
 * An epoch time as ISO text; null when there is none or it is past what a Date holds (±8.64e15 ms),
 * where toISOString() throws: one bad time in an event must not fail the fields that never read it.
 */
function isoTime(epochMs: number | null): string | null {
  if (epochMs === null) return null;
  const time = new Date(epochMs);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/**
 * The data a mapping path reads, flattened the way the setup guide names it. Aliases for the same
 * datum (customer_phone, caller_id, phone) are all defined here and nowhere else. Phones are E.164,
 * e-mails lower-case (invalid ones dropped), names cleaned and split (values/).
 */
export function buildMappingView(event: EnrichedCall): MappingView {
  const { call, ai_analysis } = event;
  const name = splitPersonName(call.customer_name);
  const phone = toE164(call.customer_phone);
  const email = normalizeEmail(call.customer_email);
  return {
    call_id: call.call_id,
    tenant_id: call.tenant_id,
    source_kind: call.source_kind,
    source_name: call.source_name,
    customer_name: name.full,
    customer_name_first: name.first,
    customer_name_last: name.last,
    customer_phone: phone,
    caller_id: phone,
    phone,
    customer_email: email,
    email,
    customer_city: call.customer_city,
    customer_state: call.customer_state,
    recording_url: call.recording_url,
    transcription: call.transcription,
    // The guide maps source to a CRM's lead source; a producer's lead that names no marketing source
    // is still labelled there with the producer's name, not left blank.
    source: call.source ?? call.source_name,
    tracking_number: call.tracking_number,
    call_details: {
      duration: call.duration_seconds,
      answered: call.answered,
      voicemail: call.voicemail,
      start_time: isoTime(call.start_time),
      tracking_number: call.tracking_number,
      recording_url: call.recording_url,
    },
    form_fields: { ...call.form_fields },
    marketing: { ...call.marketing },
    ai_analysis: { ...ai_analysis, score_reasons: [...ai_analysis.score_reasons] },
  };
}

/** Reads a dotted path (`ai_analysis.lead_score`); undefined when any step is missing. */
export function readPath(view: MappingView, path: string): MappingValue | undefined {
  let current: MappingValue | undefined = view;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** Maps whose keys are the sender's own (a form's field names), so any key under them is a valid path. */
const OPEN_MAPS = ['form_fields', 'marketing'];

function leafPaths(value: MappingValue, prefix: string, out: Set<string>): Set<string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value))
      leafPaths(child, prefix === '' ? key : `${prefix}.${key}`, out);
  } else if (!Array.isArray(value)) {
    out.add(prefix);
  }
  return out;
}

const TEMPLATE_CALL: EnrichedCall = {
  call: unknownCall({ call_id: '', tenant_id: '', received_at: 0 }),
  ai_analysis: unknownAnalysis(''),
  enriched_at: 0,
};

const KNOWN_PATHS = leafPaths(buildMappingView(TEMPLATE_CALL), '', new Set());

/** Every path a mapping can name, for "did you mean" hints and the README's list. */
export const MAPPING_PATHS: readonly string[] = [...KNOWN_PATHS].sort();

/** Whether a dotted path names a value every call's mapping view has (or a key of an open map). */
export function isMappingPath(path: string): boolean {
  if (KNOWN_PATHS.has(path)) return true;
  const [root, key, ...rest] = path.split('.');
  return (
    root !== undefined && OPEN_MAPS.includes(root) && key !== undefined && key !== '' && rest.length === 0
  );
}
