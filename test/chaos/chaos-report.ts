import { percentile } from '../../bench/support/percentile.js';
import { holdingsOf, phoneKey } from './crm-census.js';
import type { SeenDeadLetter } from './dead-letter-watch.js';
import type { ChaosTenant } from './tenant-fleet.js';
import type { SentCall } from './webhook-load.js';

export interface TenantCount {
  tenantId: string;
  crm: string;
  accepted: number;
  delivered: number;
  deadLettered: number;
  /** Accepted, and neither in the CRM nor dead-lettered. */
  lost: number;
  /** Contact records beyond one per caller. */
  duplicateContacts: number;
  /** Per-call records (deals, tasks) beyond one per call. */
  duplicateRecords: number;
  /** Calls in the CRM whose per-call record is missing (a HubSpot contact written, its deal not). */
  missingRecords: number;
  /** Records of calls the gateway did not answer 202 (its answer was lost, the write was not). */
  unacknowledgedDelivered: number;
  /** Each loss, duplicate and missing record by call or caller, for whoever looks into them. */
  findings: string[];
}

export interface LatencySummary {
  calls: number;
  arrived: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ChaosCount {
  sent: number;
  statuses: Map<number, number>;
  tenants: TenantCount[];
  deadLetters: Map<string, number>;
  deadLettersWithoutReason: number;
  calm: LatencySummary;
  outageOthers: LatencySummary;
  outageTenant: LatencySummary;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** Whether a call is in its CRM now: its per-call record, or for HubSpot the contact write naming it. */
export function deliveredCalls(tenants: readonly ChaosTenant[]): Set<string> {
  const delivered = new Set<string>();
  for (const tenant of tenants)
    for (const callId of holdingsOf(tenant).callRecords.keys()) delivered.add(callId);
  return delivered;
}

function countTenant(tenant: ChaosTenant, calls: readonly SentCall[], dead: Set<string>): TenantCount {
  const holdings = holdingsOf(tenant);
  const own = calls.filter((call) => call.tenantId === tenant.id);
  const accepted = own.filter((call) => call.status === 202);
  const delivered = accepted.filter((call) => holdings.callRecords.has(call.callId));
  const deadLettered = accepted.filter((call) => dead.has(call.callId));
  const lost = accepted.filter((call) => !holdings.callRecords.has(call.callId) && !dead.has(call.callId));
  const acceptedIds = new Set(accepted.map((call) => call.callId));
  const unacknowledgedDelivered = [...holdings.callRecords.keys()].filter(
    (id) => !acceptedIds.has(id),
  ).length;

  const findings = lost.map((call) => `${call.callId} (caller ${call.phone}): accepted, not in the CRM`);
  let duplicateContacts = 0;
  for (const [phone, n] of holdings.contactsByPhone) {
    duplicateContacts += Math.max(0, n - 1);
    if (n > 1) findings.push(`caller ${phone}: ${n} contacts`);
  }
  let duplicateRecords = 0;
  let missingRecords = 0;
  if (tenant.crm.type === 'hubspot') {
    // A HubSpot deal names no call: compare each caller's deals with that caller's calls in the CRM.
    // A call dead-lettered after its contact was written may or may not have its deal: it bounds the
    // count from above only.
    const inCrm = own.filter((call) => holdings.callRecords.has(call.callId));
    const atMost = countBy(inCrm, (call) => phoneKey(call.phone));
    const atLeast = countBy(
      inCrm.filter((call) => !dead.has(call.callId)),
      (call) => phoneKey(call.phone),
    );
    const phones = new Set([...atMost.keys(), ...holdings.dealsByPhone.keys()]);
    for (const phone of phones) {
      const deals = holdings.dealsByPhone.get(phone) ?? 0;
      const most = atMost.get(phone) ?? 0;
      const least = atLeast.get(phone) ?? 0;
      duplicateRecords += Math.max(0, deals - most);
      missingRecords += Math.max(0, least - deals);
      if (deals > most || deals < least)
        findings.push(`caller ${phone}: ${deals} deals for ${most} calls in the CRM`);
    }
  } else {
    const record = tenant.crm.type === 'pipedrive' ? 'deals' : 'tasks';
    for (const [callId, n] of holdings.callRecords) {
      duplicateRecords += Math.max(0, n - 1);
      if (n > 1) findings.push(`${callId}: ${n} ${record}`);
    }
    for (const [callId, n] of holdings.timelineByCall) {
      duplicateRecords += Math.max(0, n - 1);
      if (n > 1) findings.push(`${callId}: on the timeline ${n} times`);
    }
  }
  // A caller in the CRM needs a contact: a deal or task with none is a lost contact.
  const callersInCrm = new Set(
    own.filter((call) => holdings.callRecords.has(call.callId)).map((call) => phoneKey(call.phone)),
  );
  for (const phone of callersInCrm) {
    if (holdings.contactsByPhone.has(phone)) continue;
    missingRecords += 1;
    findings.push(`caller ${phone}: calls in the CRM, no contact`);
  }

  return {
    tenantId: tenant.id,
    crm: tenant.crm.type,
    accepted: accepted.length,
    delivered: delivered.length,
    deadLettered: deadLettered.length,
    lost: lost.length,
    duplicateContacts,
    duplicateRecords,
    missingRecords,
    unacknowledgedDelivered,
    findings,
  };
}

function latency(calls: readonly SentCall[], arrivedAt: ReadonlyMap<string, number>): LatencySummary {
  const accepted = calls.filter((call) => call.status === 202);
  const times = accepted
    .flatMap((call) => {
      const at = arrivedAt.get(call.callId);
      return at === undefined ? [] : [Math.max(0, at - call.sentAt)];
    })
    .sort((a, b) => a - b);
  return {
    calls: accepted.length,
    arrived: times.length,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
  };
}

export interface CountInput {
  tenants: readonly ChaosTenant[];
  calls: readonly SentCall[];
  deadLetters: readonly SeenDeadLetter[];
  arrivedAt: ReadonlyMap<string, number>;
  loadStartedAt: number;
  calmMs: number;
  outageMs: number;
  outageTenantId: string;
}

export function countChaos(input: CountInput): ChaosCount {
  const dead = new Set(input.deadLetters.flatMap((l) => (l.callId === undefined ? [] : [l.callId])));
  const calmEnd = input.loadStartedAt + input.calmMs;
  const outageEnd = calmEnd + input.outageMs;
  const duringOutage = input.calls.filter((c) => c.sentAt >= calmEnd && c.sentAt < outageEnd);
  return {
    sent: input.calls.length,
    statuses: new Map([...countBy(input.calls, (c) => String(c.status))].map(([k, v]) => [Number(k), v])),
    tenants: input.tenants.map((tenant) => countTenant(tenant, input.calls, dead)),
    deadLetters: countBy(input.deadLetters, (l) => `${l.reason} (${l.stage})`),
    deadLettersWithoutReason: input.deadLetters.filter((l) => l.reason === '(none)').length,
    calm: latency(
      input.calls.filter((c) => c.sentAt < calmEnd),
      input.arrivedAt,
    ),
    outageOthers: latency(
      duringOutage.filter((c) => c.tenantId !== input.outageTenantId),
      input.arrivedAt,
    ),
    outageTenant: latency(
      duringOutage.filter((c) => c.tenantId === input.outageTenantId),
      input.arrivedAt,
    ),
  };
}

export interface Verdict {
  lost: number;
  duplicates: number;
  missingRecords: number;
  deadLettersWithoutReason: number;
  passed: boolean;
}

export function verdictOf(count: ChaosCount): Verdict {
  const sum = (pick: (t: TenantCount) => number) => count.tenants.reduce((s, t) => s + pick(t), 0);
  const lost = sum((t) => t.lost);
  const duplicates = sum((t) => t.duplicateContacts + t.duplicateRecords);
  const missingRecords = sum((t) => t.missingRecords);
  return {
    lost,
    duplicates,
    missingRecords,
    deadLettersWithoutReason: count.deadLettersWithoutReason,
    passed: lost === 0 && duplicates === 0 && missingRecords === 0 && count.deadLettersWithoutReason === 0,
  };
}

const ms = (value: number) => (Number.isNaN(value) ? '-' : `${(value / 1000).toFixed(2)} s`);

function latencyLine(label: string, summary: LatencySummary): string {
  return `  ${label.padEnd(44)} p50 ${ms(summary.p50Ms).padStart(9)}  p99 ${ms(summary.p99Ms).padStart(9)}  (${summary.arrived} of ${summary.calls} calls in the CRM)`;
}

export function formatReport(count: ChaosCount, verdict: Verdict, outageTenantId: string): string {
  const lines: string[] = [];
  const accepted = count.tenants.reduce((s, t) => s + t.accepted, 0);
  const statuses = [...count.statuses]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s === 0 ? 'no answer' : s}: ${n}`);
  lines.push(`webhooks sent ${count.sent}; calls accepted (202) ${accepted}; answers ${statuses.join(', ')}`);
  lines.push('');
  lines.push('records per call in each CRM (counted in the emulators):');
  const header = [
    'tenant',
    'crm',
    'accepted',
    'in CRM',
    'dead-lettered',
    'lost',
    'dup contacts',
    'dup records',
    'missing records',
    'in CRM without 202',
  ];
  const rows = count.tenants.map((t) =>
    [
      t.tenantId,
      t.crm,
      t.accepted,
      t.delivered,
      t.deadLettered,
      t.lost,
      t.duplicateContacts,
      t.duplicateRecords,
      t.missingRecords,
      t.unacknowledgedDelivered,
    ].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: string[]) =>
    `  ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')}`;
  lines.push(format(header));
  for (const row of rows) lines.push(format(row));
  lines.push(
    '  lost: accepted, and neither in its CRM nor dead-lettered when the drain ended; dup: records beyond one per caller (contacts) or per call (deals, tasks, Pipedrive call logs); missing: a call in the CRM without its deal or contact',
  );
  const findings = count.tenants.flatMap((t) => t.findings.map((f) => `${t.tenantId}: ${f}`));
  if (findings.length > 0) {
    lines.push('');
    lines.push(`losses and duplicates (${findings.length}${findings.length > 40 ? ', the first 40' : ''}):`);
    for (const finding of findings.slice(0, 40)) lines.push(`  ${finding}`);
  }
  lines.push('');
  lines.push('dead letters by reason (leadstream-error-type, stage):');
  if (count.deadLetters.size === 0) lines.push('  none');
  for (const [reason, n] of [...count.deadLetters].sort((a, b) => b[1] - a[1]))
    lines.push(`  ${reason}: ${n}`);
  lines.push('');
  lines.push('webhook-to-CRM latency:');
  lines.push(latencyLine('calm phase, every tenant', count.calm));
  lines.push(latencyLine(`outage phase, the other tenants`, count.outageOthers));
  lines.push(latencyLine(`outage phase, ${outageTenantId} (down)`, count.outageTenant));
  const ratio = count.outageOthers.p99Ms / count.calm.p99Ms;
  lines.push(
    `  others' p99 during the outage / calm p99: ${Number.isFinite(ratio) ? `${ratio.toFixed(1)}x` : '-'} (issue #12 target: within 2x)`,
  );
  lines.push('');
  lines.push(
    `verdict: ${verdict.passed ? 'PASS' : 'FAIL'}: lost ${verdict.lost}, duplicates ${verdict.duplicates}, missing records ${verdict.missingRecords}, dead letters without a reason ${verdict.deadLettersWithoutReason}`,
  );
  return lines.join('\n');
}
