import type { TenantConfigSource } from '../config/tenants/tenant-config-source.js';
import { DEFAULT_CIRCUIT_POLICY } from '../crm/circuit-breaker/circuit-breaker.js';
import { CrmCircuitBreakers } from '../crm/circuit-breaker/crm-circuit-breakers.js';
import type { DeliveryResult } from '../crm/crm-adapter.js';
import type { CrmAdapterRegistry } from '../crm/crm-adapter-registry.js';
import type { RecordLedger } from '../crm/ledger/record-ledger.js';
import type { CrmCommand } from '../events/crm-command.js';
import { asCrmCommand } from '../events/decoded-events.js';
import type { AvroSerde } from '../kafka/avro-serde.js';
import type { StageDefinition } from '../kafka/stage-runner.js';
import { withCrmTelemetry } from '../observability/crm-telemetry.js';
import type { Logger } from '../observability/logger.js';
import type { CrmPushStatus, Metrics } from '../observability/metrics.js';
import type { OutboundGuard } from '../outbound/outbound-guard.js';
import type { SecretResolver } from '../secrets/secret-resolver.js';
import { systemClock } from '../time/clock.js';
import { notificationsFor } from './delivery-notifications.js';
import { requireTenant } from './tenant-lookup.js';

export interface DeliveryDeps {
  serde: AvroSerde;
  tenants: TenantConfigSource;
  adapters: CrmAdapterRegistry;
  secrets: SecretResolver;
  metrics: Metrics;
  logger: Logger;
  outbound: OutboundGuard;
  /** `notifications`: where the notifier's work goes once the CRM write succeeded; absent, nowhere. */
  topics: { input: string; notifications?: string };
  /** Stops calling a tenant's CRM that keeps failing; absent, circuits with the default policy. */
  circuits?: CrmCircuitBreakers;
  /** Where the adapters' created records are kept beyond the process (the adapters were given it too). */
  ledger?: RecordLedger;
}

/** crm-commands → the tenant's CRM. The CRM's answer, not a Kafka write, is what lets the offset commit. */
export function deliveryStage(deps: DeliveryDeps): StageDefinition<CrmCommand> {
  const circuits =
    deps.circuits ??
    new CrmCircuitBreakers({
      policy: DEFAULT_CIRCUIT_POLICY,
      clock: systemClock,
      metrics: deps.metrics,
      logger: deps.logger,
    });
  const push = (command: CrmCommand, status: CrmPushStatus) =>
    deps.metrics.crmPushes.inc({ crm: command.crm_type, status, ...deps.metrics.tenant(command.tenant_id) });
  return {
    name: 'delivery',
    workflowStep: 'crm_push',
    inputTopic: deps.topics.input,
    logsOwnSuccess: true,
    decode: async (value) => asCrmCommand(await deps.serde.decode('CrmCommand', value)),
    describe: (command) => ({ tenant_id: command.tenant_id, call_id: command.call_id }),
    orderingKey: (command) => command.contact_key ?? command.tenant_id,
    // A partition's previous owner may have created records for commands it did not commit.
    ...(deps.ledger ? { beforeNewPartition: () => deps.ledger?.catchUp() ?? Promise.resolve() } : {}),
    async handle(command) {
      const tenant = await requireTenant(deps.tenants, command.tenant_id);
      const logger = deps.logger.child({
        tenant_id: command.tenant_id,
        call_id: command.call_id,
        workflow_step: 'crm_push',
        crm: command.crm_type,
      });
      const adapter = deps.adapters.get(command.crm_type);
      let result: DeliveryResult;
      try {
        result = await circuits.call(command.tenant_id, command.crm_type, () =>
          withCrmTelemetry(deps.metrics, command.crm_type, () =>
            adapter.execute(command, { tenant, secrets: deps.secrets, logger, outbound: deps.outbound }),
          ),
        );
      } finally {
        // What was created, even by a delivery that failed part-way, is durable before the offset may
        // commit: a redelivery on any process then updates those records instead of creating more.
        await deps.ledger?.settle(command.tenant_id, command.idempotency_key);
      }
      push(command, 'success');
      logger.info({ status: 'success', outcomes: result.outcomes }, 'delivered to CRM');
      return notificationsFor(command, result, tenant, { ...deps, logger });
    },
    onAttemptFailed(command, _error, willRetry) {
      if (command) push(command, willRetry ? 'retry' : 'failed');
    },
    onDeadLettered(command) {
      if (command) push(command, 'dead_lettered');
    },
  };
}
