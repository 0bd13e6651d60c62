import type { ChaosRole } from './role-processes.js';
import type { ChaosTenant } from './tenant-fleet.js';

/** The run's phases, in milliseconds from the first webhook. */
export interface Phases {
  calmMs: number;
  outageMs: number;
  chaosMs: number;
}

export type Fault =
  | { kind: 'sigkill'; role: ChaosRole; downMs: number }
  | { kind: 'broker-restart' }
  | { kind: 'outage'; tenantId: string; down: boolean }
  | { kind: 'burst-5xx'; tenantId: string; ms: number }
  | { kind: 'burst-429'; tenantId: string; requests: number };

export interface ScheduledFault {
  atMs: number;
  fault: Fault;
}

export interface ScheduleOptions {
  phases: Phases;
  killsPerRole: number;
  /** How many 5xx and how many 429 bursts, spread over the chaos phase. */
  bursts: number;
  /** How long a SIGKILLed role stays down before it is started again. */
  downMs: number;
}

const KILLED_ROLES: readonly ChaosRole[] = ['delivery', 'mapper', 'enricher'];

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'sigkill':
      return `SIGKILL ${fault.role}, start it again after ${fault.downMs} ms`;
    case 'broker-restart':
      return 'restart the broker (platform.sh restart kafka)';
    case 'outage':
      return `${fault.tenantId}: CRM ${fault.down ? 'down (503 to every request)' : 'back up'}`;
    case 'burst-5xx':
      return `${fault.tenantId}: every request answers 503 for ${fault.ms} ms`;
    case 'burst-429':
      return `${fault.tenantId}: next ${fault.requests} requests answer 429`;
  }
}

/**
 * Calm first (the baseline latency), then one tenant's outage with nothing else going on (so the other
 * tenants' latency shows what the outage alone does to them), then the crash phase: SIGKILLs of every
 * consuming role in turn, one broker restart early on, and 5xx and 429 bursts on the other tenants.
 */
export function faultSchedule(
  options: ScheduleOptions,
  outageTenant: ChaosTenant,
  others: readonly ChaosTenant[],
): ScheduledFault[] {
  const { calmMs, outageMs, chaosMs } = options.phases;
  const schedule: ScheduledFault[] = [
    { atMs: calmMs, fault: { kind: 'outage', tenantId: outageTenant.id, down: true } },
    { atMs: calmMs + outageMs, fault: { kind: 'outage', tenantId: outageTenant.id, down: false } },
  ];
  const chaosStart = calmMs + outageMs;
  const kills = options.killsPerRole * KILLED_ROLES.length;
  for (let k = 0; k < kills; k += 1) {
    const role = KILLED_ROLES[k % KILLED_ROLES.length] ?? 'delivery';
    schedule.push({
      atMs: chaosStart + Math.round(((k + 0.5) * chaosMs) / (kills + 1)),
      fault: { kind: 'sigkill', role, downMs: options.downMs },
    });
  }
  // Early in the phase: a broker takes tens of seconds to stop and start, and the crashes after it
  // should still find work in flight.
  schedule.push({ atMs: chaosStart + Math.round(chaosMs / 4), fault: { kind: 'broker-restart' } });
  const limited = others.filter((t) => t.crm.type !== 'salesforce');
  for (let b = 0; b < options.bursts; b += 1) {
    const at = chaosStart + Math.round(((b + 0.25) * chaosMs) / options.bursts);
    const failing = others[b % others.length];
    if (failing) {
      schedule.push({
        atMs: at,
        // For a few seconds, as a CRM's bad moment is: a count of failures would be served one per circuit
        // probe, stretching a 6-request burst over six cool-downs.
        fault: { kind: 'burst-5xx', tenantId: failing.id, ms: 3_000 },
      });
    }
    // Salesforce answers overload with 503 and the daily limit with 403, never 429.
    const limitedTenant = limited[b % Math.max(1, limited.length)];
    if (limitedTenant) {
      schedule.push({
        atMs: at + 1_000,
        fault: { kind: 'burst-429', tenantId: limitedTenant.id, requests: 6 },
      });
    }
  }
  return schedule.sort((a, b) => a.atMs - b.atMs);
}
