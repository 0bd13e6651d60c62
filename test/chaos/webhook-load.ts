import { callRailSignature } from '../support/callrail-signing.js';
import type { ChaosTenant } from './tenant-fleet.js';

/** One webhook sent: who called, when, and what the gateway answered. */
export interface SentCall {
  callId: string;
  tenantId: string;
  /** E.164, as the mapper writes it into every CRM. */
  phone: string;
  returning: boolean;
  sentAt: number;
  /** The gateway's status; 0 when no answer came (connection refused, timeout). */
  status: number;
}

export interface LoadOptions {
  callsPerSecond: number;
  /** The share of calls that come from a caller who called this tenant before. */
  returningShare: number;
  /** A returning caller calls back at least this long after their previous call. */
  returnAfterMs: number;
}

interface Caller {
  phone: string;
  first: string;
  last: string;
  lastCallAt: number;
}

const FIRST = ['Jane', 'Omar', 'Li', 'Maria', 'Tom', 'Aisha', 'Ken', 'Sofia', 'Raj', 'Eva'];
const LAST = ['Doe', 'Haddad', 'Chen', 'Garcia', 'Brown', 'Khan', 'Sato', 'Rossi', 'Patel', 'Novak'];
const TRANSCRIPT = [
  'Agent: Thanks for calling Acme Remodeling.',
  'Caller: Hi, we want a new kitchen, as soon as possible. We have about $30,000 set aside.',
  'Agent: Great, I can send someone out this week.',
].join('\n');

/**
 * A steady stream of signed CallRail webhooks to the gateway, tenants in turn, some from callers who
 * called the same tenant before. Every call is kept with its answer: only a 202 is a call the pipeline
 * owes to a CRM.
 */
export class WebhookLoad {
  readonly calls: SentCall[] = [];
  private readonly callers = new Map<string, Caller[]>();
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private sequence = 0;
  private nextPhone = 0;

  constructor(
    private readonly gatewayUrl: () => string,
    private readonly tenants: readonly ChaosTenant[],
    private readonly options: LoadOptions,
    private readonly runId: string,
  ) {}

  start(): void {
    const interval = 1000 / this.options.callsPerSecond;
    this.timer = setInterval(() => this.sendOne(), interval);
  }

  /** Stops sending and waits for the answers still due. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.inFlight]);
  }

  accepted(): SentCall[] {
    return this.calls.filter((call) => call.status === 202);
  }

  private callerFor(tenant: ChaosTenant, at: number): { caller: Caller; returning: boolean } {
    const known = this.callers.get(tenant.id) ?? [];
    this.callers.set(tenant.id, known);
    const due = known.filter((c) => at - c.lastCallAt >= this.options.returnAfterMs);
    if (due.length > 0 && Math.random() < this.options.returningShare) {
      const caller = due[Math.floor(Math.random() * due.length)] as Caller;
      return { caller, returning: true };
    }
    const n = this.nextPhone++;
    const caller: Caller = {
      phone: `+1512${String(5_550_000 + n).padStart(7, '0')}`,
      first: FIRST[n % FIRST.length] ?? 'Jane',
      last: LAST[Math.floor(n / FIRST.length) % LAST.length] ?? 'Doe',
      lastCallAt: at,
    };
    known.push(caller);
    return { caller, returning: false };
  }

  private sendOne(): void {
    const n = this.sequence++;
    const tenant = this.tenants[n % this.tenants.length];
    if (!tenant) return;
    const at = Date.now();
    const { caller, returning } = this.callerFor(tenant, at);
    caller.lastCallAt = at;
    const callId = `CAL${this.runId}${String(n).padStart(6, '0')}`;
    const local = caller.phone.slice(2);
    const body = JSON.stringify({
      resource_id: callId,
      company_id: tenant.companyId,
      customer_phone_number: `(${local.slice(0, 3)}) ${local.slice(3, 6)}-${local.slice(6)}`,
      customer_name: `${caller.first} ${caller.last}`,
      customer_city: 'Austin',
      customer_state: 'TX',
      duration: '180',
      answered: true,
      source_name: 'Google Ads',
      recording: `https://app.callrail.com/calls/${callId}/recording`,
      transcription: TRANSCRIPT,
    });
    const call: SentCall = {
      callId,
      tenantId: tenant.id,
      phone: caller.phone,
      returning,
      sentAt: at,
      status: 0,
    };
    this.calls.push(call);
    const sending = fetch(`${this.gatewayUrl()}/v1/callrail/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        signature: callRailSignature(body, tenant.signingToken),
      },
      body,
      signal: AbortSignal.timeout(10_000),
    })
      .then(async (response) => {
        call.status = response.status;
        await response.arrayBuffer();
      })
      .catch(() => {
        call.status = 0;
      })
      .finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }
}
