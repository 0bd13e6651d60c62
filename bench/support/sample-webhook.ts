import { callRailSignature } from '../../test/support/callrail-signing.js';

/** The call every pipeline bench posts: a short answered kitchen enquiry with a budget. */
export function sampleWebhook(call: { callId: string; tenantId: string; phone: string }): string {
  return JSON.stringify({
    resource_id: call.callId,
    tenant_id: call.tenantId,
    customer_name: 'Jane Q Doe',
    customer_phone_number: call.phone,
    duration: '184',
    answered: true,
    transcription:
      'Caller: we want to remodel our kitchen next month, new cabinets, budget around forty thousand.',
  });
}

/** The headers CallRail would send with that body, signed with the tenant's token. */
export function signedHeaders(body: string, token: string): Record<string, string> {
  return { 'content-type': 'application/json', signature: callRailSignature(body, token) };
}

/** One client sends every lead in a bench: the gateway's request budgets are not what it measures. */
export const UNLIMITED_GATEWAY_BUDGETS = {
  GATEWAY_CLIENT_RATE_PER_SECOND: '1000000',
  GATEWAY_CLIENT_BURST: '1000000',
  GATEWAY_TENANT_RATE_PER_SECOND: '1000000',
  GATEWAY_TENANT_BURST: '1000000',
} as const;
