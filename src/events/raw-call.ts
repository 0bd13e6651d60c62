/**
 * TypeScript view of schemas/avro/RawCall.avsc; keep the two in step. `unknown` is only ever decoded:
 * an intake added to a newer schema than this process reads. `upstream_*` are written by producers
 * outside leadstream (docs/producing-events.md), which name themselves in `source_name`.
 */
export const SOURCE_KINDS = [
  'callrail_call',
  'callrail_form',
  'web_form',
  'unknown',
  'upstream_call',
  'upstream_lead',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/**
 * What a `source_name` may be: it becomes a CRM's lead source and a log field, so short, printable and
 * one spelling per source (lower-case), which also keeps it safe as a metric label.
 */
export const SOURCE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** A phone call, wherever it was tracked: scored on answer and length, and put on a CRM's call timeline. */
export function isPhoneCall(call: Pick<RawCall, 'source_kind'>): boolean {
  return call.source_kind === 'callrail_call' || call.source_kind === 'upstream_call';
}

/** A call CallRail tracked, the only kind whose missing transcript can be asked of CallRail's API. */
export function isCallRailCall(call: Pick<RawCall, 'source_kind'>): boolean {
  return call.source_kind === 'callrail_call';
}

export interface RawCall {
  call_id: string;
  tenant_id: string;
  source_kind: SourceKind;
  /** The producer that made the record (SOURCE_NAME_PATTERN); null for the gateway's intakes. */
  source_name: string | null;
  callrail_event: string | null;
  callrail_company_id: string | null;
  customer_phone: string | null;
  customer_name: string | null;
  customer_email: string | null;
  customer_city: string | null;
  customer_state: string | null;
  duration_seconds: number | null;
  answered: boolean | null;
  voicemail: boolean | null;
  recording_url: string | null;
  transcription: string | null;
  source: string | null;
  tracking_number: string | null;
  /** epoch milliseconds UTC */
  start_time: number | null;
  form_fields: Record<string, string>;
  marketing: Record<string, string>;
  /** epoch milliseconds UTC */
  received_at: number;
}

/**
 * A call about which nothing is known yet: every optional field null, maps empty. The base for calls
 * built from partial input (a plain transcript on the command line, the mapping language's path list).
 */
export function unknownCall(identity: Pick<RawCall, 'call_id' | 'tenant_id' | 'received_at'>): RawCall {
  return {
    ...identity,
    source_kind: 'callrail_call',
    source_name: null,
    callrail_event: null,
    callrail_company_id: null,
    customer_phone: null,
    customer_name: null,
    customer_email: null,
    customer_city: null,
    customer_state: null,
    duration_seconds: null,
    answered: null,
    voicemail: null,
    recording_url: null,
    transcription: null,
    source: null,
    tracking_number: null,
    start_time: null,
    form_fields: {},
    marketing: {},
  };
}
