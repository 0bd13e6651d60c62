import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { CrmCommand, CrmOperation } from '../../events/crm-command.js';
import type { Logger } from '../../observability/logger.js';
import type { RateLimit } from '../../rate-limits/token-bucket.js';
import { type Clock, systemClock } from '../../time/clock.js';
import { CreatedRecords } from '../created-records.js';
import type { CrmAdapter, CrmContext, DeliveryResult, OperationOutcome } from '../crm-adapter.js';
import { invalidOperation, operationJson, parseOperationPayload } from '../operation-payload.js';
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

/** Operations of one command, sorted by what they become. */
interface Plan {
  lead: CrmOperation;
  task: CrmOperation | undefined;
  workflows: CrmOperation[];
  /** The call for the lead's timeline, when the tenant logs calls. */
  call: CrmOperation | undefined;
}

function recordFields(operation: CrmOperation): Fields {
  return parseOperationPayload(operation, salesforceRecordPayloadSchema).fields;
}

function planOf(command: CrmCommand): Plan {
  let lead: CrmOperation | undefined;
  let task: CrmOperation | undefined;
  let call: CrmOperation | undefined;
  const workflows: CrmOperation[] = [];
  for (const operation of command.operations) {
    const expect = (objectType: string) => {
      if (operation.object_type !== objectType)
        throw invalidOperation(operation, `Salesforce takes ${objectType} here`);
    };
    switch (operation.kind) {
      case 'upsert_lead':
        expect('Lead');
        if (lead) throw invalidOperation(operation, 'a command carries one lead');
        lead = operation;
        break;
      case 'create_task':
        expect('Task');
        if (task) throw invalidOperation(operation, 'a command carries one follow-up task');
        task = operation;
        break;
      case 'workflow_action':
        if (!salesforceWorkflowPayloadSchema.safeParse(operationJson(operation)).success) {
          throw invalidOperation(operation, 'a workflow action carries an empty payload');
        }
        workflows.push(operation);
        break;
      case 'log_call':
        expect('Task');
        if (call) throw invalidOperation(operation, 'a command carries one call');
        call = operation;
        break;
      default:
        throw invalidOperation(operation, 'the Salesforce adapter does not run this kind of operation');
    }
  }
  if (!lead) {
    throw new LeadstreamError('validation_error', 'a Salesforce command needs an upsert_lead operation', {
      details: { call_id: command.call_id },
    });
  }
  for (const linked of [task, call, ...workflows]) {
    if (linked && linked.link_to !== null && linked.link_to !== lead.ref) {
      throw invalidOperation(linked, `links to ${linked.link_to}, which is not the command's lead`);
    }
  }
  return { lead, task, workflows, call };
}

const isAssignment = (operation: CrmOperation) => operation.action?.startsWith('assign_') === true;

/**
 * Delivers CRM commands to Salesforce through jsforce, authenticated with the OAuth 2.0 JWT bearer
 * flow: the Lead (found by the duplicate rule's Phone/Email, else created), its follow-up Task (WhoId),
 * the call as a Task of subtype Call on the lead (see CallLogWriter), and workflow actions (`assign_*` runs the org's active lead assignment rule on the lead's write;
 * notifications and the rest are left to the org's own automation). Safe to repeat (see LeadWriter).
 */
export class SalesforceAdapter implements CrmAdapter {
  readonly type = 'salesforce' as const;
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

  async execute(command: CrmCommand, context: CrmContext): Promise<DeliveryResult> {
    const config = context.tenant.crm_config;
    if (config.type !== 'salesforce') {
      throw new LeadstreamError(
        'config_error',
        `tenant ${command.tenant_id} is not configured for Salesforce`,
      );
    }
    const plan = planOf(command);
    const logger = context.logger.child({ tenant_id: command.tenant_id, call_id: command.call_id });
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
    const lead = await this.picklists.resolve(session, 'Lead', recordFields(plan.lead), configured, logger);
    const task =
      plan.task === undefined
        ? undefined
        : await this.picklists.resolve(session, 'Task', recordFields(plan.task), configured, logger);
    const assign = plan.workflows.some(isAssignment);
    const result = await this.leads.deliver(
      session,
      { command, leadRef: plan.lead.ref, lead, task, assign },
      logger,
    );

    const outcomes: OperationOutcome[] = [{ ref: plan.lead.ref, object_type: 'Lead', ...result.lead }];
    if (plan.task && result.task) outcomes.push({ ref: plan.task.ref, object_type: 'Task', ...result.task });
    for (const workflow of plan.workflows) {
      const assigned = isAssignment(workflow) && result.lead.action !== 'skipped';
      if (!assigned) {
        logger.info(
          { workflow_step: 'crm_push', ref: workflow.ref, action: workflow.action, status: 'skipped' },
          isAssignment(workflow)
            ? 'lead left unchanged (duplicate action skip): assignment rule not run'
            : 'workflow action carried out outside the CRM write (notifications and SMS by the notifier)',
        );
      }
      outcomes.push({
        ref: workflow.ref,
        object_type: 'Lead',
        id: result.lead.id,
        action: assigned ? 'updated' : 'skipped',
      });
    }
    if (plan.call) {
      outcomes.push(
        await this.calls.log(
          session,
          command,
          plan.call.ref,
          recordFields(plan.call),
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
