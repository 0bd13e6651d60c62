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
import { parseOperationPayload } from '../operation-payload.js';
import { TenantRateLimiter } from '../rate-limits/tenant-rate-limiter.js';
import { ZohoAccessTokens, zohoCredentials } from './access-tokens.js';
import type { ZohoTarget } from './authorized-call.js';
import { ZohoCallLog } from './call-log.js';
import type { ZohoCrmConfig } from './config.js';
import { ZohoCreatedRecord } from './created-record.js';
import { type ZohoUpsertPayload, zohoCallPayloadSchema, zohoUpsertPayloadSchema } from './payloads.js';
import { DEFAULT_ZOHO_RATE_LIMIT } from './rate-limits.js';
import { ZohoRecordSearch, type ZohoSearchKey } from './record-search.js';
import { ZohoRecordUpsert, type ZohoUpsertResult } from './record-upsert.js';

export interface ZohoAdapterOptions {
  clock?: Clock;
  /** Deadline of one Zoho request (token requests included). */
  requestTimeoutMs?: number;
  /** Per-tenant request budget of this process (DEFAULT_ZOHO_RATE_LIMIT unless given). */
  rateLimit?: RateLimit;
  createdRecords?: CreatedRecords<string>;
}

/** The record (a lead in the tenant's module), its call, and workflow actions. */
function planOf(command: CrmCommand, module: string): OperationPlan<'call'> {
  return planOperations(command, {
    crm: 'Zoho',
    record: { kind: 'upsert_lead', objectType: module, noun: 'record' },
    others: { call: { kind: 'log_call', objectType: 'Calls', noun: 'call' } },
  });
}

/** The record's fields a match field is read from, in order. */
const MATCH_SOURCES: Record<ZohoSearchKey, string[]> = { phone: ['Phone', 'Mobile'], email: ['Email'] };

function matchValue(record: ZohoUpsertPayload['record'], key: ZohoSearchKey): string | undefined {
  for (const field of MATCH_SOURCES[key]) {
    const value = record[field];
    if ((typeof value === 'string' && value.trim() !== '') || typeof value === 'number') return String(value);
  }
  return undefined;
}

/**
 * Delivers CRM commands to Zoho CRM (API v8 unless configured): the lead upserted by the tenant's
 * `duplicate_check_fields`, with the configured `trigger` (workflow rules, approvals, blueprints) run
 * by Zoho itself, which is also where workflow actions are left. Safe to repeat: Zoho's upsert
 * matches on the check fields, and a record this process created is addressed by its id when its
 * command comes again (a lead with no phone or email would otherwise be inserted twice). With
 * duplicate detection's `skip`, Zoho is searched first by the match fields and a lead found is left
 * as it is (the upsert would update it). The call goes on the record's timeline as a Calls record.
 */
export class ZohoAdapter implements DefinedCrmAdapter<ZohoCrmConfig> {
  private readonly limiter: TenantRateLimiter;
  private readonly timeoutMs: number;
  private readonly upserts: ZohoRecordUpsert;
  private readonly searches: ZohoRecordSearch;
  private readonly created: CreatedRecords<string>;
  private readonly calls: ZohoCallLog;
  private readonly records: ZohoCreatedRecord;

  constructor(options: ZohoAdapterOptions = {}) {
    this.limiter = new TenantRateLimiter(options.rateLimit ?? DEFAULT_ZOHO_RATE_LIMIT);
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
    const clock = options.clock ?? systemClock;
    const tokens = new ZohoAccessTokens({ clock, timeoutMs: this.timeoutMs });
    this.upserts = new ZohoRecordUpsert(tokens, clock);
    this.searches = new ZohoRecordSearch(tokens, clock);
    this.calls = new ZohoCallLog(tokens, clock);
    this.records = new ZohoCreatedRecord(tokens, clock);
    this.created = options.createdRecords ?? new CreatedRecords<string>();
  }

  async execute(command: CrmCommand, context: ConfiguredCrmContext<ZohoCrmConfig>): Promise<DeliveryResult> {
    const { config, logger } = context;
    const plan = planOf(command, config.module);
    const payload = parseOperationPayload(plan.record, zohoUpsertPayloadSchema);
    const target: ZohoTarget = {
      tenantId: command.tenant_id,
      credentials: await zohoCredentials(config, context.secrets, context.outbound),
      apiDomain: config.api_domain,
      apiVersion: config.api_version,
      module: config.module,
      gate: () => this.limiter.acquire(command.tenant_id),
      timeoutMs: this.timeoutMs,
      logger,
    };
    const detection = command.duplicate_detection;
    const existing =
      detection?.action === 'skip'
        ? await this.findExisting(target, detection.match_fields, payload)
        : undefined;
    const result =
      existing === undefined
        ? await this.upsert(command, plan.record, target, payload, logger)
        : { id: existing, action: 'skipped' as const };
    if (existing !== undefined)
      logger.info(
        { workflow_step: 'crm_push', record_id: existing, status: 'skipped' },
        'lead exists in Zoho; duplicate action is skip',
      );

    const outcomes: OperationOutcome[] = [{ ref: plan.record.ref, object_type: config.module, ...result }];
    for (const workflow of plan.workflows) {
      outcomes.push(skippedWorkflowAction(logger, workflow, { object_type: config.module, id: result.id }));
    }
    logger.debug(
      { workflow_step: 'crm_push', record_id: result.id, status: result.action },
      'Zoho record done',
    );
    if (plan.others.call) outcomes.push(await this.logCall(command, plan.others.call, target, result.id));
    return { outcomes };
  }

  /**
   * The call on the record's timeline, once per command and ref (see CreatedRecords), and found on the
   * record rather than logged again when an earlier delivery announced it and died before its id was
   * remembered (ZohoCallLog.createdSince).
   */
  private async logCall(
    command: CrmCommand,
    call: CrmOperation,
    target: ZohoTarget,
    recordId: string,
  ): Promise<OperationOutcome> {
    const { tenant_id: tenantId, idempotency_key: key } = command;
    const payload = parseOperationPayload(call, zohoCallPayloadSchema);
    const since = this.created.creatingSince(tenantId, key, call.ref);
    const earlier =
      this.created.get(tenantId, key, call.ref) ??
      (since === undefined ? undefined : await this.calls.createdSince(target, recordId, payload, since));
    if (earlier !== undefined) {
      if (since !== undefined) {
        target.logger.info(
          { workflow_step: 'crm_push', ref: call.ref, call_record_id: earlier },
          'call logged by an earlier delivery that did not record it; not logging another',
        );
        this.created.remember(tenantId, key, call.ref, earlier);
      }
      return { ref: call.ref, object_type: 'Calls', id: earlier, action: 'skipped' };
    }
    await this.created.beforeCreate(tenantId, key, call.ref);
    const id = await this.calls.insert(target, payload, recordId);
    this.created.remember(tenantId, key, call.ref, id);
    return { ref: call.ref, object_type: 'Calls', id, action: 'created' };
  }

  /** A lead Zoho has with the payload's phone or email (match fields in order), searched one at a time. */
  private async findExisting(
    target: ZohoTarget,
    matchFields: string[],
    payload: ZohoUpsertPayload,
  ): Promise<string | undefined> {
    for (const field of matchFields) {
      if (field !== 'phone' && field !== 'email') continue;
      const value = matchValue(payload.record, field);
      if (value === undefined) continue;
      const id = await this.searches.find(target, field, value);
      if (id !== undefined) return id;
    }
    return undefined;
  }

  /**
   * The record an earlier delivery of the command announced, inserted and died before remembering, when
   * nothing in it lets the upsert find it again (its duplicate check fields are empty): see
   * ZohoCreatedRecord.
   */
  private async createdEarlier(
    command: CrmCommand,
    record: CrmOperation,
    target: ZohoTarget,
    payload: ZohoUpsertPayload,
  ): Promise<string | undefined> {
    const since = this.created.creatingSince(command.tenant_id, command.idempotency_key, record.ref);
    const checkable = payload.duplicate_check_fields.some((field) => {
      const value = payload.record[field];
      return value !== undefined && value !== null && value !== '';
    });
    if (since === undefined || checkable) return undefined;
    const found = await this.records.createdSince(target, payload, since);
    if (found === undefined) return undefined;
    target.logger.info(
      { workflow_step: 'crm_push', ref: record.ref, record_id: found },
      'record created by an earlier delivery that did not record it; not creating another',
    );
    this.created.remember(command.tenant_id, command.idempotency_key, record.ref, found);
    return found;
  }

  /** Upserts by the check fields, or by the id an earlier delivery of the command created. */
  private async upsert(
    command: CrmCommand,
    record: CrmOperation,
    target: ZohoTarget,
    payload: ZohoUpsertPayload,
    logger: Logger,
  ): Promise<ZohoUpsertResult | { id: string; action: 'skipped' }> {
    const known = this.created.get(command.tenant_id, command.idempotency_key, record.ref);
    if (known === undefined) {
      const recovered = await this.createdEarlier(command, record, target, payload);
      if (recovered !== undefined) return { id: recovered, action: 'skipped' };
      await this.created.beforeCreate(command.tenant_id, command.idempotency_key, record.ref);
    }
    let result: ZohoUpsertResult;
    try {
      result = await this.upserts.upsert(
        target,
        known === undefined ? payload : { ...payload, record: { ...payload.record, id: known } },
      );
    } catch (error) {
      const staleId = known !== undefined && error instanceof LeadstreamError && error.details.field === 'id';
      if (!staleId) throw error;
      // The record created by an earlier delivery was deleted (or merged) in Zoho since.
      logger.info(
        { workflow_step: 'crm_push', record_id: known },
        'remembered Zoho record is gone; upserting anew',
      );
      this.created.forget(command.tenant_id, command.idempotency_key, record.ref);
      result = await this.upserts.upsert(target, payload);
    }
    if (result.action === 'created')
      this.created.remember(command.tenant_id, command.idempotency_key, record.ref, result.id);
    return result;
  }
}
