import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Outcome of one attempt to deliver a command to a CRM, as the `status` label says it. */
export type CrmPushStatus = 'success' | 'retry' | 'dead_lettered';

/**
 * The process's Prometheus metrics, one registry per process (tests make their own). Names carry the
 * `leadstream_` prefix and base units; labels are bounded: topics, stages, error types and CRM types
 * are fixed sets.
 */
export class Metrics {
  readonly registry = new Registry();

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

  readonly processingDuration = new Histogram({
    name: 'leadstream_processing_duration_seconds',
    help: 'Time from taking a message to acknowledging its output, per stage.',
    labelNames: ['stage'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly failures = new Counter({
    name: 'leadstream_failures_total',
    help: 'Failed processing attempts by stage and error type (retried or not).',
    labelNames: ['stage', 'error_type'] as const,
    registers: [this.registry],
  });

  readonly deadLetters = new Counter({
    name: 'leadstream_dead_letters_total',
    help: 'Messages sent to the dead-letter topic, by stage and error type.',
    labelNames: ['stage', 'error_type'] as const,
    registers: [this.registry],
  });

  readonly crmPushes = new Counter({
    name: 'leadstream_crm_pushes_total',
    help: 'Attempts to deliver a command to a CRM, by CRM type and outcome.',
    labelNames: ['crm', 'status'] as const,
    registers: [this.registry],
  });

  readonly gatewayRequests = new Counter({
    name: 'leadstream_gateway_requests_total',
    help: 'HTTP requests the gateway answered, by route and status code.',
    labelNames: ['route', 'status_code'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: 'leadstream_' });
  }
}
