import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { CrmCommand, DuplicateRule } from '../../events/crm-command.js';
import { samePhone } from '../../identity/phone-identity.js';
import type { Logger } from '../../observability/logger.js';
import type { CreatedRecords } from '../created-records.js';
import { type CompositeSubrequest, createdId, runComposite } from './composite.js';
import { duplicateIdOf } from './error-classification.js';
import {
  IDEMPOTENCY_KEY_FIELD,
  idempotencyKeyOf,
  leadUpsertPath,
  upsertAnswersIds,
} from './idempotency-key-field.js';
import { OrgIdempotencyKeys, refusesUpsertByKey } from './org-idempotency-keys.js';
import type { SalesforceRecordPayload } from './payloads.js';
import type { SalesforceSession } from './salesforce-session.js';
import { type LeadMatchCriteria, leadMatchQuery, taskMarkerQuery } from './soql.js';

type Fields = SalesforceRecordPayload['fields'];

export interface LeadDelivery {
  command: CrmCommand;
  /** The lead operation's ref, under which a lead this command created is remembered. */
  leadRef: string;
  lead: Fields;
  /** The follow-up task, when the command has one. */
  task: Fields | undefined;
  /** Whether the org's active lead assignment rule should run (an `assign_*` workflow action fired). */
  assign: boolean;
}

export interface LeadDeliveryResult {
  lead: { id: string; action: 'created' | 'updated' | 'skipped' };
  task?: { id: string; action: 'created' | 'skipped' };
}

interface LeadRow {
  Id: string;
  Phone?: string | null;
  Email?: string | null;
}

interface TaskRow {
  Id: string;
  WhoId?: string | null;
}

interface QueryAnswer<T> {
  records?: T[];
}

/** One write's records: the lead, whether this write made it, and the task when one was written. */
interface Written {
  leadId: string;
  leadCreated: boolean;
  taskId: string | undefined;
}

/** An upsert's answer (`{id, success, errors, created}`): the lead and whether the upsert made it. */
function upserted(body: unknown): { leadId: string; leadCreated: boolean } {
  const created = body !== null && typeof body === 'object' && (body as { created?: unknown }).created;
  return { leadId: createdId(body, 'Lead.upsert'), leadCreated: created === true };
}

/** Salesforce record ids are 15 or 18 letters and digits; anything else never goes into a URL. */
const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

/**
 * Where a delivered task is found again: Task.CallObject, the field Salesforce keeps for a telephony
 * call's identifier (filterable, 255 characters), holds the command's idempotency key.
 */
function taskMarker(command: CrmCommand): string {
  return `leadstream:${command.idempotency_key}`;
}

/** How a composite request writes the lead: upserted by its key, created, or updated by its id. */
function compositeLeadWrite(
  session: SalesforceSession,
  leadId: string | undefined,
  upsertKey: string | undefined,
): {
  request: Pick<CompositeSubrequest, 'method' | 'url'>;
  operation: string;
  written(body: unknown): { leadId: string; leadCreated: boolean };
} {
  if (upsertKey !== undefined) {
    return {
      request: { method: 'PATCH', url: leadUpsertPath(session, upsertKey) },
      operation: 'Lead.upsert',
      written: upserted,
    };
  }
  if (leadId === undefined) {
    return {
      request: { method: 'POST', url: session.dataPath('/sobjects/Lead') },
      operation: 'Lead.create',
      written: (body) => ({ leadId: createdId(body, 'Lead.create'), leadCreated: true }),
    };
  }
  return {
    request: { method: 'PATCH', url: session.dataPath(`/sobjects/Lead/${leadId}`) },
    operation: 'Lead.update',
    written: () => ({ leadId, leadCreated: false }),
  };
}

function matchCriteria(rule: DuplicateRule | null, lead: Fields): LeadMatchCriteria {
  const criteria: LeadMatchCriteria = {};
  for (const field of rule?.match_fields ?? []) {
    const value = field === 'phone' ? lead.Phone : field === 'email' ? lead.Email : undefined;
    if (typeof value === 'string' && value.trim() !== '') criteria[field as 'phone' | 'email'] = value.trim();
  }
  return criteria;
}

/** The lead the rule picks: the oldest match on the first match field that matches, then the next. */
function pickMatch(
  rule: DuplicateRule | null,
  criteria: LeadMatchCriteria,
  rows: LeadRow[],
): string | undefined {
  for (const field of rule?.match_fields ?? []) {
    const found =
      field === 'phone' && criteria.phone !== undefined
        ? rows.find((r) => typeof r.Phone === 'string' && samePhone(r.Phone, criteria.phone ?? ''))
        : field === 'email' && criteria.email !== undefined
          ? rows.find((r) => r.Email?.toLowerCase() === criteria.email?.toLowerCase())
          : undefined;
    if (found) return found.Id;
  }
  return rows[0]?.Id;
}

function recordId(id: string | null | undefined): string | undefined {
  return typeof id === 'string' && RECORD_ID.test(id) ? id : undefined;
}

/**
 * Makes the org hold the call's lead and follow-up task, in two API calls at most: one read (the
 * duplicate rule's SOQL and the task marker, as one composite request when both are needed) and one
 * write (lead and task as one all-or-none composite request, the task's WhoId `@{lead.id}` when the
 * lead is new).
 *
 * Repeatable: a redelivered command finds its task by marker and, through the task's WhoId, its lead,
 * even when duplicate detection is off; SOQL reads what was written at once, so the org itself is the
 * memory there. A command without a task has no such marker: the lead it created is kept in the created
 * records (durable when they sit in front of the delivery ledger), so that a redelivery with no duplicate
 * rule to match it, or no phone or e-mail to match by, updates it; in an org with the idempotency key
 * field (`leadstream crm provision`) a new lead is upserted by its key instead, so that a redelivery
 * after a crash before the created records heard of it updates it too. DUPLICATES_DETECTED from an org
 * duplicate rule updates the record the rule matched.
 */
export class LeadWriter {
  constructor(
    private readonly created: CreatedRecords<string>,
    private readonly keys: OrgIdempotencyKeys = new OrgIdempotencyKeys(),
  ) {}

  async deliver(
    session: SalesforceSession,
    delivery: LeadDelivery,
    logger: Logger,
  ): Promise<LeadDeliveryResult> {
    try {
      return await this.deliverOnce(session, delivery, logger, true);
    } catch (error) {
      if (!refusesUpsertByKey(error)) throw error;
      // The field, or the integration user's access to it, went after the org's describe was read.
      this.keys.forget(session.tenantId);
      logger.warn(
        { workflow_step: 'crm_push', field: IDEMPOTENCY_KEY_FIELD },
        'Salesforce no longer finds leads by the idempotency key field; delivering as to an unprovisioned org',
      );
      return this.deliverOnce(session, delivery, logger, false);
    }
  }

  /**
   * The lead's value of Leadstream_Idempotency_Key__c when the org has that external id for the
   * integration user: a new lead is upserted by it.
   */
  private async upsertKeyFor(
    session: SalesforceSession,
    delivery: LeadDelivery,
    logger: Logger,
  ): Promise<string | undefined> {
    if (!upsertAnswersIds(session.apiVersion) || !(await this.keys.has(session, logger))) return undefined;
    return idempotencyKeyOf(delivery.command.idempotency_key, delivery.leadRef);
  }

  private async deliverOnce(
    session: SalesforceSession,
    delivery: LeadDelivery,
    logger: Logger,
    byKey: boolean,
  ): Promise<LeadDeliveryResult> {
    const { command, task } = delivery;
    const rule = command.duplicate_detection;
    const criteria = matchCriteria(rule, delivery.lead);
    const marker = task === undefined ? undefined : taskMarker(command);
    const { leads, tasks } = await this.read(session, criteria, marker);

    const existingTask = tasks[0];
    const knownLead =
      recordId(existingTask?.WhoId) ??
      this.created.get(command.tenant_id, command.idempotency_key, delivery.leadRef) ??
      pickMatch(rule, criteria, leads);
    const skip = rule?.action === 'skip';
    const leadAction = knownLead === undefined ? 'created' : skip ? 'skipped' : 'updated';
    const writeTask =
      task !== undefined && marker !== undefined && existingTask === undefined
        ? { ...task, CallObject: marker }
        : undefined;
    if (existingTask !== undefined) {
      logger.debug(
        { workflow_step: 'crm_push', task_id: existingTask.Id },
        'task already created by an earlier delivery',
      );
    }

    const upsertKey =
      knownLead === undefined && byKey ? await this.upsertKeyFor(session, delivery, logger) : undefined;
    // An upsert by the key creates nothing twice: only a plain create (or the task's) is announced.
    if ((leadAction === 'created' && upsertKey === undefined) || writeTask !== undefined) {
      await this.created.beforeCreate(command.tenant_id, command.idempotency_key, delivery.leadRef);
    }
    try {
      const written = await this.write(session, delivery, knownLead, leadAction, writeTask, upsertKey);
      if (leadAction === 'created')
        this.created.remember(command.tenant_id, command.idempotency_key, delivery.leadRef, written.leadId);
      // An upsert that found the lead an earlier delivery made updated it.
      const action = leadAction === 'created' && !written.leadCreated ? 'updated' : leadAction;
      return this.result(written, action, existingTask);
    } catch (error) {
      const duplicate = knownLead === undefined ? duplicateIdOf(error) : undefined;
      if (duplicate === undefined) throw error;
      // An org duplicate rule blocked the create and named the record it matched: that one is the lead.
      logger.info(
        { workflow_step: 'crm_push', lead_id: duplicate },
        "Salesforce's duplicate rule matched an existing lead; updating it instead",
      );
      const action = skip ? 'skipped' : 'updated';
      const written = await this.write(session, delivery, duplicate, action, writeTask);
      return this.result(written, action, existingTask);
    }
  }

  private result(
    written: Written,
    leadAction: LeadDeliveryResult['lead']['action'],
    existingTask: TaskRow | undefined,
  ): LeadDeliveryResult {
    const lead = { id: written.leadId, action: leadAction };
    if (written.taskId !== undefined) return { lead, task: { id: written.taskId, action: 'created' } };
    if (existingTask !== undefined) return { lead, task: { id: existingTask.Id, action: 'skipped' } };
    return { lead };
  }

  private async read(
    session: SalesforceSession,
    criteria: LeadMatchCriteria,
    marker: string | undefined,
  ): Promise<{ leads: LeadRow[]; tasks: TaskRow[] }> {
    const leadSoql =
      criteria.phone === undefined && criteria.email === undefined ? undefined : leadMatchQuery(criteria);
    const taskSoql = marker === undefined ? undefined : taskMarkerQuery(marker);
    if (leadSoql !== undefined && taskSoql !== undefined) {
      const query = (soql: string) => `${session.dataPath('/query')}?q=${encodeURIComponent(soql)}`;
      const bodies = await runComposite(
        session,
        [
          { method: 'GET', url: query(leadSoql), referenceId: 'leads' },
          { method: 'GET', url: query(taskSoql), referenceId: 'tasks' },
        ],
        { allOrNone: false, operations: { leads: 'Lead.query', tasks: 'Task.query' } },
      );
      return {
        leads: (bodies.get('leads') as QueryAnswer<LeadRow> | undefined)?.records ?? [],
        tasks: (bodies.get('tasks') as QueryAnswer<TaskRow> | undefined)?.records ?? [],
      };
    }
    if (leadSoql !== undefined) {
      const answer = await session.call('Lead.query', async (conn) => await conn.query<LeadRow>(leadSoql));
      return { leads: answer.records, tasks: [] };
    }
    if (taskSoql !== undefined) {
      const answer = await session.call('Task.query', async (conn) => await conn.query<TaskRow>(taskSoql));
      return { leads: [], tasks: answer.records };
    }
    return { leads: [], tasks: [] };
  }

  /**
   * One write call: the lead alone, the task alone, or both as one all-or-none composite request. A new
   * lead (no `leadId`) is upserted by `upsertKey` when there is one, else created.
   */
  private async write(
    session: SalesforceSession,
    delivery: LeadDelivery,
    leadId: string | undefined,
    leadAction: LeadDeliveryResult['lead']['action'],
    task: Fields | undefined,
    upsertKey?: string,
  ): Promise<Written> {
    // REST applies the active assignment rule unless told not to: only an assign_* action asks for it.
    const headers = { 'Sforce-Auto-Assign': delivery.assign ? 'TRUE' : 'FALSE' };
    const lead = delivery.lead;
    if (leadId !== undefined && !RECORD_ID.test(leadId)) {
      throw new LeadstreamError('crm_rejected', `Salesforce named a malformed lead id`, {
        details: { operation: 'Lead.update' },
      });
    }
    const writeLead = leadAction !== 'skipped';

    if (task === undefined) {
      if (leadId === undefined && upsertKey !== undefined) {
        const answer = await session.call('Lead.upsert', (conn) =>
          conn.request({
            method: 'PATCH',
            url: leadUpsertPath(session, upsertKey),
            body: JSON.stringify(lead),
            headers: { ...headers, 'content-type': 'application/json' },
          }),
        );
        return { ...upserted(answer), taskId: undefined };
      }
      if (leadId === undefined) {
        const created = await session.call('Lead.create', (conn) =>
          conn.sobject('Lead').create(lead, { headers }),
        );
        return { leadId: createdId(created, 'Lead.create'), leadCreated: true, taskId: undefined };
      }
      if (writeLead) {
        await session.call('Lead.update', (conn) =>
          conn.sobject('Lead').update({ ...lead, Id: leadId }, { headers }),
        );
      }
      return { leadId, leadCreated: false, taskId: undefined };
    }

    if (leadId !== undefined && !writeLead) {
      const created = await session.call('Task.create', (conn) =>
        conn.sobject('Task').create({ ...task, WhoId: leadId }),
      );
      return { leadId, leadCreated: false, taskId: createdId(created, 'Task.create') };
    }

    const leadWrite = compositeLeadWrite(session, leadId, leadId === undefined ? upsertKey : undefined);
    const bodies = await runComposite(
      session,
      [
        { ...leadWrite.request, referenceId: 'lead', body: lead, httpHeaders: headers },
        {
          method: 'POST',
          url: session.dataPath('/sobjects/Task'),
          referenceId: 'task',
          body: { ...task, WhoId: leadId ?? '@{lead.id}' },
        },
      ],
      { allOrNone: true, operations: { lead: leadWrite.operation, task: 'Task.create' } },
    );
    return { ...leadWrite.written(bodies.get('lead')), taskId: createdId(bodies.get('task'), 'Task.create') };
  }
}
