import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { BoundedLabel } from './bounded-label.js';

/**
 * Outcome of one attempt to deliver a command to a CRM, as the `status` label says it: `retry` (failed,
 * will be tried again), `failed` (failed for good: permanent error or retries spent), `dead_lettered`
 * (that command then written to the dead-letter topic).
 */
export type CrmPushStatus = 'success' | 'retry' | 'failed' | 'dead_lettered';

/** What one stage runner holds, by state. */
export interface RunnerHoldings {
  running: number;
  waiting: number;
  parked: number;
}

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event loop, GC); off in tests that read the whole registry. */
  processMetrics?: boolean;
  /**
   * A `tenant` label on the per-tenant series. Their count grows with the tenants configured, which is
   * fine for a bounded fleet and not for thousands of tenants: the process setting METRICS_TENANT_LABEL
   * (on by default) turns it off.
   */
  tenantLabel?: boolean;
}

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Rate-limit waits run from a few milliseconds (a burst smoothed) to a HubSpot ten-second window. */
const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The process's Prometheus metrics, one registry per process (tests make their own). Names carry the
 * `leadstream_` prefix and base units; labels are bounded: topics, stages, error types, CRM types, HTTP
 * status codes and, when enabled, configured tenants. Every metric is documented in the README.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly tenantLabel: boolean;

  readonly messagesConsumed = new Counter({
    name: 'leadstream_messages_consumed_total',
    help: 'Kafka messages a stage took from its input topic.',
    labelNames: ['stage', 'topic'] as const,
    registers: [this.registry],
  });

  readonly messagesProduced = new Counter({
    name: 'leadstream_messages_produced_total',
    help: 'Kafka messages written and acknowledged by the cluster.',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  readonly producerRecoveries = new Counter({
    name: 'leadstream_producer_recoveries_total',
    help: 'Kafka producers replaced by a fresh one (new producer id) after the broker refused their state.',
    registers: [this.registry],
  });

  readonly processingDuration = new Histogram({
    name: 'leadstream_processing_duration_seconds',
    help: 'Time from taking a message to acknowledging its output, per stage.',
    labelNames: ['stage'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });

  private readonly runners = new Map<object, { stage: string; held: () => RunnerHoldings }>();

  /** Read when Prometheus scrapes, not set per message: the runners' counts change thousands of times a second. */
  readonly runnerMessages = new Gauge({
    name: 'leadstream_runner_messages',
    help: 'Messages a stage runner holds, by state: running, waiting (for their key or a free slot), parked (until a retry).',
    labelNames: ['stage', 'state'] as const,
    registers: [this.registry],
    collect: () => {
      const totals = new Map<string, RunnerHoldings>();
      for (const { stage, held } of this.runners.values()) {
        const sum = totals.get(stage) ?? { running: 0, waiting: 0, parked: 0 };
        const now = held();
        totals.set(stage, {
          running: sum.running + now.running,
          waiting: sum.waiting + now.waiting,
          parked: sum.parked + now.parked,
        });
      }
      for (const [stage, held] of totals) {
        for (const state of ['running', 'waiting', 'parked'] as const) {
          this.runnerMessages.set({ stage, state }, held[state]);
        }
      }
    },
  });

  /** A runner whose holdings leadstream_runner_messages reports (summed per stage) until it stops. */
  watchRunner(runner: object, stage: string, held: () => RunnerHoldings): () => void {
    this.runners.set(runner, { stage, held });
    return () => this.runners.delete(runner);
  }

  readonly failures = new Counter({
    name: 'leadstream_failures_total',
    help: 'Failed processing attempts by stage and error type (retried or not).',
    labelNames: ['stage', 'error_type'] as const,
    registers: [this.registry],
  });

  readonly deadLetters: Counter<'stage' | 'error_type' | 'tenant'>;

  readonly upstreamRejections = new Counter({
    name: 'leadstream_upstream_rejections_total',
    help: 'raw-calls records dead-lettered for breaking the producer contract (docs/producing-events.md), by the producer named in the leadstream-producer header (unknown without one, other past the first 50) and reason.',
    labelNames: ['producer', 'reason'] as const,
    registers: [this.registry],
  });

  /** Producer names are the senders' own: the first 50 are labels, later ones count as `other`. */
  private readonly upstreamProducer = new BoundedLabel(50);

  countUpstreamRejection(producer: string, reason: string): void {
    this.upstreamRejections.inc({ producer: this.upstreamProducer.of(producer), reason });
  }

  readonly upstreamKeyMismatches = new Counter({
    name: 'leadstream_upstream_key_mismatches_total',
    help: 'raw-calls records processed although their Kafka key is not their tenant_id (docs/producing-events.md), by the producer named in the leadstream-producer header (unknown without one, other past the first 50).',
    labelNames: ['producer'] as const,
    registers: [this.registry],
  });

  countUpstreamKeyMismatch(producer: string): void {
    this.upstreamKeyMismatches.inc({ producer: this.upstreamProducer.of(producer) });
  }

  readonly crmPushes: Counter<'crm' | 'status' | 'tenant'>;

  readonly crmCircuitState: Gauge<'crm' | 'state' | 'tenant'>;

  readonly tenantConfigRejections: Counter<'tenant'>;

  /** Per tenant with tenant labels on; without, the version last put in force. */
  readonly tenantConfigVersion: Gauge<'tenant'>;

  readonly crmRequests = new Counter({
    name: 'leadstream_crm_requests_total',
    help: 'HTTP requests sent to CRM APIs while delivering, by CRM type and response status code.',
    labelNames: ['crm', 'status_code'] as const,
    registers: [this.registry],
  });

  readonly crmRequestDuration = new Histogram({
    name: 'leadstream_crm_request_duration_seconds',
    help: 'Time from sending an HTTP request to a CRM API to its response headers.',
    labelNames: ['crm'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });

  readonly crmRateLimited = new Counter({
    name: 'leadstream_crm_rate_limited_total',
    help: 'HTTP 429 answers received from CRM APIs.',
    labelNames: ['crm'] as const,
    registers: [this.registry],
  });

  readonly crmRateLimitWait = new Histogram({
    name: 'leadstream_crm_rate_limit_wait_seconds',
    help: "Waits before a CRM request to stay within the tenant's request budget (only waits longer than zero).",
    labelNames: ['crm'] as const,
    buckets: WAIT_BUCKETS,
    registers: [this.registry],
  });

  readonly consumerLag = new Gauge({
    name: 'leadstream_consumer_lag_messages',
    help: "Messages in a partition after the stage's consumer group committed offset, sampled periodically.",
    labelNames: ['stage', 'topic', 'partition'] as const,
    registers: [this.registry],
  });

  readonly analysisFallbacks = new Counter({
    name: 'leadstream_analysis_fallbacks_total',
    help: 'Calls analyzed by the fallback analyzer instead of the configured one, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly gatewayRequests = new Counter({
    name: 'leadstream_gateway_requests_total',
    help: 'HTTP requests the gateway answered, by route and status code.',
    labelNames: ['route', 'status_code'] as const,
    registers: [this.registry],
  });

  readonly gatewayTruncations = new Counter({
    name: 'leadstream_gateway_truncations_total',
    help: 'Accepted leads whose field was cut to fit one Kafka record (GATEWAY_MAX_TRANSCRIPT_CHARS), by field.',
    labelNames: ['field'] as const,
    registers: [this.registry],
  });

  readonly notifications = new Counter({
    name: 'leadstream_notifications_total',
    help: 'Notifications and SMS by channel and outcome: sent, duplicate (sent before), retry, failed, dead_lettered, or skipped_<reason> (no_channel, no_recipient, no_lead_summary, channel_removed).',
    labelNames: ['channel', 'status'] as const,
    registers: [this.registry],
  });

  constructor(options: MetricsOptions = {}) {
    this.tenantLabel = options.tenantLabel ?? false;
    const tenant = this.tenantLabel ? (['tenant'] as const) : [];
    this.deadLetters = new Counter({
      name: 'leadstream_dead_letters_total',
      help: 'Messages sent to the dead-letter topic, by stage and error type.',
      labelNames: ['stage', 'error_type', ...tenant],
      registers: [this.registry],
    });
    this.crmPushes = new Counter({
      name: 'leadstream_crm_pushes_total',
      help: 'Attempts to deliver a command to a CRM, by CRM type and outcome.',
      labelNames: ['crm', 'status', ...tenant],
      registers: [this.registry],
    });
    this.crmCircuitState = new Gauge({
      name: 'leadstream_crm_circuit_state',
      help: "Tenants' CRM circuits in each state (closed, open, half_open), by CRM type.",
      labelNames: ['crm', 'state', ...tenant],
      registers: [this.registry],
    });
    this.tenantConfigRejections = new Counter({
      name: 'leadstream_tenant_config_rejections_total',
      help: 'Tenant configurations read from the tenant store and refused as invalid (the last good one stays).',
      labelNames: [...tenant],
      registers: [this.registry],
    });
    this.tenantConfigVersion = new Gauge({
      name: 'leadstream_tenant_config_version',
      help: "The tenant store's version of each tenant's configuration this process runs.",
      labelNames: [...tenant],
      registers: [this.registry],
    });
    if (options.processMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: 'leadstream_' });
  }

  /** The `tenant` label for a per-tenant series, or nothing when tenant labels are off. */
  tenant(tenantId: string | undefined): { tenant?: string } {
    return this.tenantLabel ? { tenant: tenantId ?? 'unknown' } : {};
  }
}
