import { afterEach } from 'vitest';
import type { CrmCommand, CrmOperation, CrmType, DuplicateRule } from '../../src/events/crm-command.js';

/**
 * The harness starter of a test file whose tests start emulators: every emulator a test started is
 * stopped after it, passed or failed, so no port outlives its test.
 */
export function harnessPerTest<Options, Harness extends { emulator: { stop(): Promise<void> } }>(
  startHarness: (options?: Options) => Promise<Harness>,
): (options?: Options) => Promise<Harness> {
  const running: Harness[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((harness) => harness.emulator.stop()));
  });
  return async (options) => {
    const harness = await startHarness(options);
    running.push(harness);
    return harness;
  };
}

/** A command as the mapper writes it for one call of a tenant, at a fixed time. */
export function crmCommandFor(
  crmType: CrmType,
  tenantId: string,
  callId: string,
  operations: CrmOperation[],
  duplicateDetection: DuplicateRule | null,
): CrmCommand {
  return {
    idempotency_key: `key-${callId}`,
    tenant_id: tenantId,
    call_id: callId,
    crm_type: crmType,
    operations,
    duplicate_detection: duplicateDetection,
    triggered_workflows: [],
    created_at: Date.parse('2026-03-02T15:04:05Z'),
    contact_key: null,
  };
}
