import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { CrmCommand, CrmOperation } from '../../events/crm-command.js';
import type { Logger } from '../../observability/logger.js';
import type { RateLimit } from '../../rate-limits/token-bucket.js';
import { type Clock, systemClock } from '../../time/clock.js';
import { CreatedRecords } from '../created-records.js';
import type {
  ConfiguredCrmContext,
  DefinedCrmAdapter,
  DeliveryResult,
  OperationOutcome,
} from '../crm-adapter.js';
import { type OperationPlan, planOperations } from '../kernel/operation-plan.js';
import { skippedWorkflowAction } from '../kernel/workflow-skip.js';
import { operationJson, parseOperationPayload } from '../operation-payload.js';
import { CallLogWriter } from './call-log.js';
import { SalesforceClientFactory } from './client-factory.js';
import type { SalesforceCrmConfig } from './config.js';
import { LeadWriter } from './lead-delivery.js';
import {
  type SalesforceRecordPayload,
  salesforceRecordPayloadSchema,
  salesforceWorkflowPayloadSchema,
} from './payloads.js';
import { PicklistValues } from './picklist-values.js';

export interface SalesforceAdapterOptions {
  clock?: Clock;
  /** Deadline of one Salesforce call. */
  requestTimeoutMs?: number;
  /** Per-tenant request budget of this process (DEFAULT_SALESFORCE_RATE_LIMIT unless given). */
  rateLimit?: RateLimit;
  /** The leads and logged calls deliveries created, by command; in process unless given one in front of the ledger. */
  createdRecords?: CreatedRecords<string>;
}

type Fields = SalesforceRecordPayload['fields'];

function recordFields(operation: CrmOperation): Fields {
  return parseOperationPayload(operation, salesforceRecordPayloadSchema).fields;
}

type Plan = OperationPlan<'task' | 'call'>;

/** The lead, its follow-up task, the call as a Task of subtype Call, and workflow actions. */
function planOf(command: CrmCommand): Plan {
  return planOperations(command, {
    crm: 'Salesforce',
    record: { kind: 'upsert_lead', objectType: 'Lead', noun: 'lead' },
    others: {
      task: { kind: 'create_task', objectType: 'Task', noun: 'follow-up task' },
      call: { kind: 'log_call', objectType: 'Task', noun: 'call' },
    },
    checkWorkflow: (operation) =>
      salesforceWorkflowPayloadSchema.safeParse(operationJson(operation)).success
        ? undefined
        : 'a workflow action carries an empty payload',
  });
}

const isAssignment = (operation: CrmOperation) => operation.action?.startsWith('assign_') === true;

/**
 * Delivers CRM commands to Salesforce through jsforce, authenticated with the OAuth 2.0 JWT bearer
 * flow: the Lead (found by the duplicate rule's Phone/Email, else created), its follow-up Task (WhoId),
 * the call as a Task of subtype Call on the lead (see CallLogWriter), and workflow actions (`assign_*` runs the org's active lead assignment rule on the lead's write;
 * notifications and the rest are left to the org's own automation). Safe to repeat (see LeadWriter).
 */
export class SalesforceAdapter implements DefinedCrmAdapter<SalesforceCrmConfig> {
  private readonly clients: SalesforceClientFactory;
  private readonly picklists = new PicklistValues();
  private readonly leads: LeadWriter;
  private readonly calls: CallLogWriter;

  constructor(options: SalesforceAdapterOptions = {}) {
    const created = options.createdRecords ?? new CreatedRecords<string>();
    this.leads = new LeadWriter(created);
    this.calls = new CallLogWriter(created);
    this.clients = new SalesforceClientFactory({
      clock: options.clock ?? systemClock,
      ...(options.requestTimeoutMs === undefined ? {} : { timeoutMs: options.requestTimeoutMs }),
      ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    });
  }

  async execute(
    command: CrmCommand,
    context: ConfiguredCrmContext<SalesforceCrmConfig>,
  ): Promise<DeliveryResult> {
    const { config, logger } = context;
    const plan = planOf(command);
    const session = await this.clients.sessionFor(
      command.tenant_id,
      config,
      context.secrets,
      logger,
      context.outbound,
    );
    try {
      return await this.deliver(command, config, plan, session, logger);
    } catch (error) {
      // The org's fields or picklists may be what is wrong; a retry after the fix must not use stale ones.
      if (
        error instanceof LeadstreamError &&
        (error.type === 'crm_not_found' || error.type === 'field_mapping_error')
      ) {
        this.picklists.forget(command.tenant_id);
      }
      throw error;
    }
  }

  private async deliver(
    command: CrmCommand,
    config: SalesforceCrmConfig,
    plan: Plan,
    session: Awaited<ReturnType<SalesforceClientFactory['sessionFor']>>,
    logger: Logger,
  ): Promise<DeliveryResult> {
    const configured = new Set(Object.keys(config.picklists));
    const lead = await this.picklists.resolve(session, 'Lead', recordFields(plan.record), configured, logger);
    const task =
      plan.others.task === undefined
        ? undefined
        : await this.picklists.resolve(session, 'Task', recordFields(plan.others.task), configured, logger);
    const assign = plan.workflows.some(isAssignment);
    const result = await this.leads.deliver(
      session,
      { command, leadRef: plan.record.ref, lead, task, assign },
      logger,
    );

    const outcomes: OperationOutcome[] = [{ ref: plan.record.ref, object_type: 'Lead', ...result.lead }];
    if (plan.others.task && result.task)
      outcomes.push({ ref: plan.others.task.ref, object_type: 'Task', ...result.task });
    const leadRecord = { object_type: 'Lead', id: result.lead.id };
    for (const workflow of plan.workflows) {
      const assigned = isAssignment(workflow) && result.lead.action !== 'skipped';
      outcomes.push(
        assigned
          ? { ref: workflow.ref, ...leadRecord, action: 'updated' }
          : skippedWorkflowAction(
              logger,
              workflow,
              leadRecord,
              isAssignment(workflow)
                ? 'lead left unchanged (duplicate action skip): assignment rule not run'
                : undefined,
            ),
      );
    }
    if (plan.others.call) {
      outcomes.push(
        await this.calls.log(
          session,
          command,
          plan.others.call.ref,
          recordFields(plan.others.call),
          result.lead.id,
          logger,
        ),
      );
    }
    for (const outcome of outcomes)
      logger.debug({ workflow_step: 'crm_push', ...outcome }, 'Salesforce operation done');
    return { outcomes };
  }
}
