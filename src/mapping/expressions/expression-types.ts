import { unknownAnalysis } from '../../events/ai-analysis.js';
import type { EnrichedCall } from '../../events/enriched-call.js';
import { unknownCall } from '../../events/raw-call.js';
import { buildMappingView, type MappingValue } from '../mapping-view.js';
import type { ExpressionValue } from './expression-value.js';

/**
 * What `tenants validate` knows of a value before any call is seen. A date is text at run time
 * (`YYYY-MM-DD` or an ISO time) but is told apart, so `today() + 7` is refused; null is only the literal,
 * since any path may be missing.
 */
export type StaticType = 'number' | 'string' | 'boolean' | 'date' | 'null' | 'unknown';

/**
 * A call with every field the view reads set, so each path's type is read off the view itself; a
 * field added to the call later and left out here is null, hence `unknown`, and never wrongly refused.
 */
const SAMPLE: EnrichedCall = {
  call: {
    ...unknownCall({ call_id: 'c', tenant_id: 't', received_at: 0 }),
    callrail_event: 'post_call',
    callrail_company_id: 'c',
    customer_phone: '+14155552671',
    customer_name: 'Ann Lee',
    customer_email: 'ann@example.com',
    customer_city: 'c',
    customer_state: 's',
    duration_seconds: 1,
    answered: true,
    voicemail: false,
    recording_url: 'https://example.com/r',
    transcription: 't',
    source: 's',
    tracking_number: '+14155552672',
    start_time: 0,
  },
  ai_analysis: unknownAnalysis('a'),
  enriched_at: 0,
};

/** Paths the view fills with an ISO time (mapping-view.ts), which date functions take as dates. */
const DATE_PATHS = new Set(['call_details.start_time']);

function typeOfValue(value: MappingValue | undefined): StaticType {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  return 'unknown';
}

const PATH_TYPES = new Map<string, StaticType>();
for (const [group, values] of Object.entries(buildMappingView(SAMPLE))) {
  if (values !== null && typeof values === 'object' && !Array.isArray(values)) {
    for (const [key, value] of Object.entries(values)) {
      const path = `${group}.${key}`;
      PATH_TYPES.set(path, DATE_PATHS.has(path) ? 'date' : typeOfValue(value));
    }
  } else {
    PATH_TYPES.set(group, typeOfValue(values));
  }
}

/** Maps whose keys are the sender's own and whose values are all text (RawCall's form_fields, marketing). */
const TEXT_MAPS = ['form_fields', 'marketing'];

/** What a path of the mapping view always holds when it holds anything (null aside). */
export function pathType(path: string): StaticType {
  const known = PATH_TYPES.get(path);
  if (known !== undefined) return known;
  return TEXT_MAPS.includes(path.split('.')[0] ?? '') ? 'string' : 'unknown';
}

export function literalType(value: ExpressionValue): StaticType {
  if (value === null) return 'null';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'string';
}

/** The type of a value that is one or the other: a date is text, so date and text are text. */
export function either(left: StaticType, right: StaticType): StaticType {
  if (left === right) return left;
  const texts: readonly StaticType[] = ['string', 'date'];
  return texts.includes(left) && texts.includes(right) ? 'string' : 'unknown';
}

/** The values a lookup table can give, as one type when they share it. */
export function tableType(table: Readonly<Record<string, ExpressionValue>>): StaticType {
  const types = new Set(Object.values(table).map(literalType));
  return types.size === 1 ? ([...types][0] ?? 'unknown') : 'unknown';
}
