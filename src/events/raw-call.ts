/**
 * TypeScript view of schemas/avro/RawCall.avsc; keep the two in step. `unknown` is only ever decoded:
 * an intake added to a newer schema than this process reads.
 */
export const SOURCE_KINDS = ['callrail_call', 'callrail_form', 'web_form', 'unknown'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface RawCall {
  call_id: string;
  tenant_id: string;
  source_kind: SourceKind;
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
