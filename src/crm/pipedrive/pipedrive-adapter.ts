import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { CrmCommand, CrmOperation } from '../../events/crm-command.js';
import type { Logger } from '../../observability/logger.js';
import { type Clock, systemClock } from '../../time/clock.js';
import { type CreatedRecords, createdNumbers, createdStrings } from '../created-records.js';
import type {
  ConfiguredCrmContext,
  DefinedCrmAdapter,
  DeliveryResult,
  OperationOutcome,
} from '../crm-adapter.js';
import type { CrmAdapterOptions } from '../crm-definition.js';
import { OperationOutcomes, runOperations } from '../kernel/operation-run.js';
import { skippedWorkflowAction } from '../kernel/workflow-skip.js';
import { invalidOperation, operationJson, parseOperationPayload } from '../operation-payload.js';
import { PlanRateLimits } from '../rate-limits/plan-rate-limits.js';
import { type RecentMatches, recentNumbers } from '../recent-matches.js';
import { type PipedriveClient, PipedriveClientFactory } from './client-factory.js';
import type { PipedriveCrmConfig } from './config.js';
import { callPipedrive } from './error-classification.js';
import { FieldCatalog, type PipedriveCall } from './field-catalog.js';
import type { FieldEntity, FieldValue, Scalar } from './field-values.js';
import {
  type PipedriveCallPayload,
  type PipedriveDealPayload,
  type PipedrivePersonPayload,
  type PipedriveTaskPayload,
  pipedriveCallPayloadSchema,
  pipedriveDealPayloadSchema,
  pipedrivePersonPayloadSchema,
  pipedriveTaskPayloadSchema,
} from './payloads.js';
import { personWriteOf } from './person-fields.js';
import { PersonUpsert } from './person-upsert.js';
import { PIPEDRIVE_RATE_LIMITS } from './rate-limits.js';

export interface PipedriveAdapterOptions extends CrmAdapterOptions {
  clients?: PipedriveClientFactory;
  fieldCatalog?: FieldCatalog;
  recentPersons?: RecentMatches<number>;
  createdRecords?: CreatedRecords<number>;
  /** The call logs deliveries created: their ids are text, where every other Pipedrive id is a number. */
  createdCallLogs?: CreatedRecords<string>;
  rateLimits?: PlanRateLimits;
}

interface Execution {
  command: CrmCommand;
  config: PipedriveCrmConfig;
  client: PipedriveClient;
  logger: Logger;
  call: PipedriveCall;
  searchCall: PipedriveCall;
  /** Outcomes so far, for link_to. */
  done: OperationOutcomes;
}

/** A record Pipedrive makes once: its kind, the call's name, one made earlier unrecorded, the create. */
interface OnceCreate {
  objectType: 'deals' | 'activities';
  name: string;
  earlier(): Promise<number | undefined>;
  create(): Promise<{ data?: { id?: number } }>;
}

function expectObjectType(operation: CrmOperation, expected: string): void {
  if (operation.object_type !== expected)
    throw invalidOperation(operation, `Pipedrive takes ${expected} here`);
}

/** A 400 about custom fields may come from a cached field list that is out of date. */
function isCustomFieldRejection(error: unknown): boolean {
  return (
    error instanceof LeadstreamError && error.type === 'crm_rejected' && /custom.?field/i.test(error.message)
  );
}

const isoDate = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

/**
 * The follow-up task the mapper decided. A command mapped before the mapper wrote it (an empty payload,
 * still in flight or replayed from dead letters) gets a plain one, due the day it was mapped.
 */
function followUpOf(command: CrmCommand, operation: CrmOperation): PipedriveTaskPayload {
  const json = operationJson(operation);
  if (json !== null && typeof json === 'object' && Object.keys(json).length === 0) {
    return { subject: 'Follow up', due_date: isoDate(command.created_at), note: null };
  }
  return parseOperationPayload(operation, pipedriveTaskPayloadSchema);
}

/** Seconds as an activity's `HH:MM` duration, at least a minute so a short call still shows one. */
function activityDuration(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  return `${String(Math.min(99, Math.floor(minutes / 60))).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Delivers CRM commands to Pipedrive through the official SDK (API v2): the person (found by exact
 * phone or email, else created), the deal linked to it, and a follow-up task activity when a workflow
 * trigger asks for one, and the call as a call log. Custom fields are configured by name and resolved to the company's
 * 40-character keys; enumeration labels to option ids. Safe to repeat (see PersonUpsert and
 * CreatedRecords).
 */
export class PipedriveAdapter implements DefinedCrmAdapter<PipedriveCrmConfig> {
  private readonly clock: Clock;
  private readonly clients: PipedriveClientFactory;
  private readonly fields: FieldCatalog;
  private readonly recent: RecentMatches<number>;
  private readonly created: CreatedRecords<number>;
  private readonly callLogs: CreatedRecords<string>;
  private readonly rateLimits: PlanRateLimits;
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(options: PipedriveAdapterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.clients =
      options.clients ??
      new PipedriveClientFactory(
        options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs },
      );
    this.fields = options.fieldCatalog ?? new FieldCatalog();
    this.recent = options.recentPersons ?? recentNumbers(options.ledger);
    this.created = options.createdRecords ?? createdNumbers(options.ledger);
    this.callLogs = options.createdCallLogs ?? createdStrings(options.ledger);
    this.rateLimits = options.rateLimits ?? new PlanRateLimits(PIPEDRIVE_RATE_LIMITS);
  }

  async execute(
    command: CrmCommand,
    context: ConfiguredCrmContext<PipedriveCrmConfig>,
  ): Promise<DeliveryResult> {
    const { config, logger } = context;
    const client = await this.clients.clientFor(command.tenant_id, config, context.secrets, context.outbound);
    const gates = this.rateLimits.gatesFor(command.tenant_id, config.requests_per_two_seconds);
    const via =
      (gate: () => Promise<number>): PipedriveCall =>
      (operation, run) =>
        callPipedrive(operation, run, { clock: this.clock, gate });
    const execution: Execution = {
      command,
      config,
      client,
      logger,
      call: via(gates.request),
      searchCall: via(gates.search),
      done: new OperationOutcomes(),
    };
    try {
      return await this.deliver(execution);
    } catch (error) {
      if (!isCustomFieldRejection(error)) throw error;
      // A field deleted or changed in Pipedrive since it was cached: read the fields anew and try once
      // more; what the first attempt created is remembered, so nothing is created twice.
      logger.warn(
        { workflow_step: 'crm_push', status: 'retrying', error_type: 'crm_rejected' },
        'Pipedrive refused a custom field; re-reading the company fields',
      );
      this.fields.forget(command.tenant_id);
      return this.deliver({ ...execution, done: new OperationOutcomes() });
    }
  }

  private deliver(execution: Execution): Promise<DeliveryResult> {
    const { command, logger, done } = execution;
    return runOperations(
      command,
      logger,
      'Pipedrive',
      (operation) => this.executeOperation(execution, operation),
      done,
    );
  }

  private executeOperation(execution: Execution, operation: CrmOperation): Promise<OperationOutcome> {
    switch (operation.kind) {
      case 'upsert_contact':
        expectObjectType(operation, 'persons');
        return this.upsertPerson(execution, operation);
      case 'create_deal':
        expectObjectType(operation, 'deals');
        return this.createDeal(execution, operation);
      case 'workflow_action':
        return this.workflowAction(execution, operation);
      case 'log_call':
        return this.logCall(execution, operation);
      default:
        throw invalidOperation(operation, 'the Pipedrive adapter does not run this kind of operation');
    }
  }

  private resolveCustom(
    execution: Execution,
    entity: FieldEntity,
    values: Record<string, Scalar>,
  ): Promise<Record<string, FieldValue>> {
    return this.fields.resolve({
      client: execution.client,
      tenantId: execution.command.tenant_id,
      entity,
      values,
      currency: execution.config.deal_settings?.currency ?? 'USD',
      call: execution.call,
    });
  }

  private async upsertPerson(execution: Execution, operation: CrmOperation): Promise<OperationOutcome> {
    const { command } = execution;
    const payload: PipedrivePersonPayload = parseOperationPayload(operation, pipedrivePersonPayloadSchema);
    const write = personWriteOf(payload);
    const custom = await this.resolveCustom(execution, 'person', write.custom);
    const upsert = new PersonUpsert({
      client: execution.client,
      tenantId: command.tenant_id,
      recent: this.recent,
      logger: execution.logger,
      call: execution.call,
      searchCall: execution.searchCall,
      running: this.running,
    });
    const known = this.created.get(command.tenant_id, command.idempotency_key, operation.ref);
    if (known === undefined) {
      await this.created.beforeCreate(command.tenant_id, command.idempotency_key, operation.ref);
    }
    const result = await upsert.upsert(write, custom, command.duplicate_detection, known);
    if (result.action === 'created') {
      this.created.remember(command.tenant_id, command.idempotency_key, operation.ref, result.id);
    }
    return { ref: operation.ref, object_type: 'persons', id: String(result.id), action: result.action };
  }

  /** The id of the person operation `link_to` names (or the command's only person). */
  private linkedPerson(execution: Execution, operation: CrmOperation): number | undefined {
    const linked = execution.done.linked(operation, 'persons', 'person');
    return linked === undefined ? undefined : Number(linked.id);
  }

  private async createDeal(execution: Execution, operation: CrmOperation): Promise<OperationOutcome> {
    const { command, client } = execution;
    const earlier = this.created.get(command.tenant_id, command.idempotency_key, operation.ref);
    if (earlier !== undefined) {
      return { ref: operation.ref, object_type: 'deals', id: String(earlier), action: 'skipped' };
    }
    const payload: PipedriveDealPayload = parseOperationPayload(operation, pipedriveDealPayloadSchema);
    const custom = await this.resolveCustom(execution, 'deal', payload.custom_fields);
    const personId = this.linkedPerson(execution, operation);
    const body = {
      title: payload.title,
      currency: payload.currency,
      ...(payload.value === null ? {} : { value: payload.value }),
      ...(personId === undefined ? {} : { person_id: personId }),
      ...(payload.pipeline_id === null ? {} : { pipeline_id: payload.pipeline_id }),
      ...(payload.stage_id === null ? {} : { stage_id: payload.stage_id }),
      ...(payload.owner_id === null ? {} : { owner_id: payload.owner_id }),
      ...(payload.expected_close_date === null ? {} : { expected_close_date: payload.expected_close_date }),
      ...(Object.keys(custom).length > 0 ? { custom_fields: custom } : {}),
    };
    return this.createOnce(execution, operation, {
      objectType: 'deals',
      name: 'deals.add',
      earlier: () => this.dealCreatedEarlier(execution, operation, body.title, personId),
      create: () => client.deals.addDeal({ AddDealRequest: body }),
    });
  }

  /**
   * The deal an earlier delivery of this command created but could not remember (it crashed or timed out
   * between Pipedrive's answer and the ledger's acknowledgement): the person's deal with the same title
   * added since that delivery announced the create. Listing a person's deals reads the deals themselves,
   * not the search index, so a deal made a moment ago is found.
   */
  private async dealCreatedEarlier(
    execution: Execution,
    operation: CrmOperation,
    title: string,
    personId: number | undefined,
  ): Promise<number | undefined> {
    const { command, client, logger } = execution;
    const since = this.created.creatingSince(command.tenant_id, command.idempotency_key, operation.ref);
    if (since === undefined || personId === undefined) return undefined;
    const answer = await execution.call('deals.list', () =>
      client.deals.getDeals({ person_id: personId, sort_by: 'add_time', sort_direction: 'desc', limit: 100 }),
    );
    const found = (answer.data ?? []).find(
      (deal) => deal.title === title && addedSince(deal.add_time, since),
    );
    if (found?.id === undefined) return undefined;
    logger.info(
      { workflow_step: 'crm_push', ref: operation.ref, deal_id: found.id },
      'deal created by an earlier delivery that did not record it; not creating another',
    );
    return found.id;
  }

  /**
   * Creates a deal or activity once the ledger knows it is about to be (see CreatedRecords.beforeCreate),
   * and remembers it, so that a redelivery finds it instead of creating another. One an earlier delivery
   * created but could not remember is remembered now and reported as skipped.
   */
  private async createOnce(
    execution: Execution,
    operation: CrmOperation,
    { objectType, name, earlier, create }: OnceCreate,
  ): Promise<OperationOutcome> {
    const { command } = execution;
    const recovered = this.recovered(execution, operation, objectType, await earlier());
    if (recovered !== undefined) return recovered;
    await this.created.beforeCreate(command.tenant_id, command.idempotency_key, operation.ref);
    const id = (await execution.call(name, create)).data?.id;
    if (id === undefined) {
      throw new LeadstreamError('crm_unavailable', `Pipedrive answered ${name} without an id`, {
        details: { operation: name },
      });
    }
    this.created.remember(command.tenant_id, command.idempotency_key, operation.ref, id);
    return { ref: operation.ref, object_type: objectType, id: String(id), action: 'created' };
  }

  /** A record an earlier delivery created but could not remember, remembered now and reported as skipped. */
  private recovered(
    { command }: Execution,
    operation: CrmOperation,
    objectType: OnceCreate['objectType'],
    id: number | undefined,
  ): OperationOutcome | undefined {
    if (id === undefined) return undefined;
    this.created.remember(command.tenant_id, command.idempotency_key, operation.ref, id);
    return { ref: operation.ref, object_type: objectType, id: String(id), action: 'skipped' };
  }

  /**
   * `create_task` becomes a task activity on the person (and the command's deal), due the day of the
   * call, for the owner. Notifications and SMS are the notifier's (src/notifications/), not the CRM's.
   */
  private async workflowAction(execution: Execution, operation: CrmOperation): Promise<OperationOutcome> {
    const { command, config, logger } = execution;
    const personId = this.linkedPerson(execution, operation);
    if (operation.action !== 'create_task') {
      return skippedWorkflowAction(logger, operation, { object_type: 'persons', id: String(personId ?? '') });
    }
    const earlier = this.created.get(command.tenant_id, command.idempotency_key, operation.ref);
    if (earlier !== undefined) {
      return { ref: operation.ref, object_type: 'activities', id: String(earlier), action: 'skipped' };
    }
    const deal = execution.done.first('deals');
    const task = followUpOf(command, operation);
    const body = {
      subject: task.subject,
      type: 'task',
      due_date: task.due_date,
      ...(personId === undefined ? {} : { person_id: personId }),
      ...(deal === undefined ? {} : { deal_id: Number(deal.id) }),
      ...(config.default_owner === undefined ? {} : { owner_id: config.default_owner }),
      ...(task.note === null ? {} : { note: task.note }),
    };
    return this.createActivityOnce(execution, operation, body);
  }

  /**
   * The call on the person's and the deal's timeline: a v1 call log, or a done activity of type call
   * where the mapper knew no number called. Once per command and ref, like deals.
   */
  private async logCall(execution: Execution, operation: CrmOperation): Promise<OperationOutcome> {
    const { command, client, call, config } = execution;
    const objectType = operation.object_type;
    if (objectType !== 'callLogs' && objectType !== 'activities') {
      throw invalidOperation(operation, 'Pipedrive takes callLogs or activities here');
    }
    // The ledger holds a call log's id (text) or an activity's (a number): the call's done activity, or
    // the one behind a call log an earlier delivery made unrecorded (see below).
    const earlierLog = this.callLogs.get(command.tenant_id, command.idempotency_key, operation.ref);
    if (earlierLog !== undefined) {
      return { ref: operation.ref, object_type: 'callLogs', id: earlierLog, action: 'skipped' };
    }
    const earlier = this.created.get(command.tenant_id, command.idempotency_key, operation.ref);
    if (earlier !== undefined) {
      return { ref: operation.ref, object_type: 'activities', id: String(earlier), action: 'skipped' };
    }
    const payload: PipedriveCallPayload = parseOperationPayload(operation, pipedriveCallPayloadSchema);
    const personId = this.linkedPerson(execution, operation);
    const deal = execution.done.first('deals');
    const links = {
      ...(personId === undefined ? {} : { person_id: personId }),
      ...(deal === undefined ? {} : { deal_id: Number(deal.id) }),
    };
    const [date, time] = payload.start_time.split(' ');
    // The call as an activity: what the done call activity is created with, and what a call log also
    // is among the person's and the deal's activities (Pipedrive counts call logs as activities).
    const asActivity: ActivityBody = {
      subject: payload.subject,
      type: 'call',
      due_date: date ?? isoDate(command.created_at),
      due_time: (time ?? '00:00').slice(0, 5),
      ...links,
    };
    if (objectType === 'callLogs') {
      if (payload.to_phone_number === null) {
        throw invalidOperation(operation, 'a call log needs to_phone_number');
      }
      const body = {
        subject: payload.subject,
        note: payload.note,
        outcome: payload.outcome,
        duration: String(payload.duration),
        start_time: payload.start_time,
        end_time: payload.end_time,
        to_phone_number: payload.to_phone_number,
        ...(payload.from_phone_number === null ? {} : { from_phone_number: payload.from_phone_number }),
        ...(config.default_owner === undefined ? {} : { user_id: config.default_owner }),
        ...links,
      };
      // GET /callLogs lists only the token user's logs, unfiltered and undated, so a log an earlier
      // delivery made unrecorded is found as the activity it also is. Only that activity's id can be
      // known (a call log is read by its own id, which the crash lost), so that is what is remembered
      // and reported: the call as object_type activities, which the log is in Pipedrive as well.
      const recovered = this.recovered(
        execution,
        operation,
        'activities',
        await this.activityCreatedEarlier(execution, operation, asActivity, 'call log'),
      );
      if (recovered !== undefined) return recovered;
      // Announced like every other create, so none is made while the ledger cannot take its id.
      await this.callLogs.beforeCreate(command.tenant_id, command.idempotency_key, operation.ref);
      const created = await call('callLogs.add', () =>
        client.callLogs.addCallLog({ AddCallLogRequest: body }),
      );
      const id = created.data?.id;
      if (typeof id !== 'string' || id === '') {
        throw new LeadstreamError('crm_unavailable', 'Pipedrive answered a call log create without an id', {
          details: { operation: 'callLogs.add' },
        });
      }
      this.callLogs.remember(command.tenant_id, command.idempotency_key, operation.ref, id);
      return { ref: operation.ref, object_type: 'callLogs', id, action: 'created' };
    }
    const body = {
      ...asActivity,
      done: true,
      duration: activityDuration(payload.duration),
      note: payload.note,
      ...(config.default_owner === undefined ? {} : { owner_id: config.default_owner }),
    };
    return this.createActivityOnce(execution, operation, body);
  }

  /** An activity created once (createOnce), or found when an earlier delivery created it unrecorded. */
  private createActivityOnce(
    execution: Execution,
    operation: CrmOperation,
    body: ActivityBody,
  ): Promise<OperationOutcome> {
    return this.createOnce(execution, operation, {
      objectType: 'activities',
      name: 'activities.add',
      earlier: () => this.activityCreatedEarlier(execution, operation, body, 'activity'),
      create: () => execution.client.activities.addActivity({ AddActivityRequest: body }),
    });
  }

  /**
   * The activity (a follow-up task, a call, or the one a call log is) an earlier delivery of this
   * command created but could not remember: among the person's (else the deal's) activities, listed
   * from the activities themselves rather than a search, newest first, one with the same subject, type
   * and due date (and time, for a call: a returning caller's calls of one day share their subject)
   * added since that delivery announced the create.
   */
  private async activityCreatedEarlier(
    execution: Execution,
    operation: CrmOperation,
    body: ActivityBody,
    record: 'activity' | 'call log',
  ): Promise<number | undefined> {
    const { command, client, logger } = execution;
    const announced = record === 'call log' ? this.callLogs : this.created;
    const since = announced.creatingSince(command.tenant_id, command.idempotency_key, operation.ref);
    const owner =
      body.person_id !== undefined
        ? { person_id: body.person_id }
        : body.deal_id !== undefined
          ? { deal_id: body.deal_id }
          : undefined;
    if (since === undefined || owner === undefined) return undefined;
    const answer = await execution.call('activities.list', () =>
      client.activities.getActivities({ ...owner, sort_by: 'add_time', sort_direction: 'desc', limit: 100 }),
    );
    const found = (answer.data ?? []).find(
      (activity) =>
        activity.subject === body.subject &&
        activity.type === body.type &&
        activity.due_date === body.due_date &&
        (body.due_time === undefined || activity.due_time?.slice(0, 5) === body.due_time) &&
        addedSince(activity.add_time, since),
    );
    if (found?.id === undefined) return undefined;
    logger.info(
      { workflow_step: 'crm_push', ref: operation.ref, activity_id: found.id },
      `${record} created by an earlier delivery that did not record it; not creating another`,
    );
    return found.id;
  }
}

/** What a follow-up task or call activity is created with, and found again by. */
interface ActivityBody {
  subject: string;
  type: string;
  due_date: string;
  /** `HH:MM`, UTC. */
  due_time?: string;
  person_id?: number;
  deal_id?: number;
}

/** Pipedrive writes times as RFC 3339 (API v2) or "YYYY-MM-DD HH:MM:SS" in UTC (v1). */
function addedSince(addTime: string | null | undefined, since: number): boolean {
  if (typeof addTime !== 'string') return false;
  const at = Date.parse(/^\d{4}-\d{2}-\d{2} \d/.test(addTime) ? `${addTime.replace(' ', 'T')}Z` : addTime);
  return Number.isFinite(at) && at >= since;
}
