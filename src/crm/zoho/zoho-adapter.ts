import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { CrmCommand, CrmOperation } from '../../events/crm-command.js';
import { type Clock, systemClock } from '../../time/clock.js';
import { CreatedRecords } from '../created-records.js';
import type { CrmAdapter, CrmContext, DeliveryResult, OperationOutcome } from '../crm-adapter.js';
import { invalidOperation, parseOperationPayload } from '../operation-payload.js';
import { TenantRateLimiter } from '../rate-limits/tenant-rate-limiter.js';
import type { RateLimit } from '../rate-limits/token-bucket.js';
import { ZohoAccessTokens, zohoCredentials } from './access-tokens.js';
import { zohoUpsertPayloadSchema } from './payloads.js';
import { DEFAULT_ZOHO_RATE_LIMIT } from './rate-limits.js';
import { ZohoRecordUpsert, type ZohoUpsertResult, type ZohoUpsertTarget } from './record-upsert.js';

export interface ZohoAdapterOptions {
  clock?: Clock;
  /** Deadline of one Zoho request (token requests included). */
  requestTimeoutMs?: number;
  /** Per-tenant request budget of this process (DEFAULT_ZOHO_RATE_LIMIT unless given). */
  rateLimit?: RateLimit;
}

function planOf(command: CrmCommand, module: string): { record: CrmOperation; workflows: CrmOperation[] } {
  let record: CrmOperation | undefined;
  const workflows: CrmOperation[] = [];
  for (const operation of command.operations) {
    if (operation.kind === 'upsert_lead') {
      if (operation.object_type !== module)
        throw invalidOperation(operation, `the tenant's module is ${module}`);
      if (record) throw invalidOperation(operation, 'a command carries one record');
      record = operation;
    } else if (operation.kind === 'workflow_action') {
      workflows.push(operation);
    } else {
      throw invalidOperation(operation, 'the Zoho adapter runs upsert_lead and workflow actions');
    }
  }
  if (!record) {
    throw new LeadstreamError('validation_error', 'a Zoho command needs an upsert_lead operation', {
      details: { call_id: command.call_id },
    });
  }
  for (const workflow of workflows) {
    if (workflow.link_to !== null && workflow.link_to !== record.ref)
      throw invalidOperation(workflow, `links to ${workflow.link_to}, which is not the command's record`);
  }
  return { record, workflows };
}

/**
 * Delivers CRM commands to Zoho CRM (API v8 unless configured): the lead upserted by the tenant's
 * `duplicate_check_fields`, with the configured `trigger` (workflow rules, approvals, blueprints) run
 * by Zoho itself, which is also where workflow actions are left. Safe to repeat: Zoho's upsert
 * matches on the check fields, and a record this process created is addressed by its id when its
 * command comes again (a lead with no phone or email would otherwise be inserted twice).
 */
export class ZohoAdapter implements CrmAdapter {
  readonly type = 'zoho' as const;
  private readonly limiter: TenantRateLimiter;
  private readonly timeoutMs: number;
  private readonly upserts: ZohoRecordUpsert;
  private readonly created = new CreatedRecords<string>();

  constructor(options: ZohoAdapterOptions = {}) {
    this.limiter = new TenantRateLimiter(options.rateLimit ?? DEFAULT_ZOHO_RATE_LIMIT);
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
    const clock = options.clock ?? systemClock;
    this.upserts = new ZohoRecordUpsert(new ZohoAccessTokens({ clock, timeoutMs: this.timeoutMs }), clock);
  }

  async execute(command: CrmCommand, context: CrmContext): Promise<DeliveryResult> {
    const config = context.tenant.crm_config;
    if (config.type !== 'zoho') {
      throw new LeadstreamError('config_error', `tenant ${command.tenant_id} is not configured for Zoho CRM`);
    }
    const plan = planOf(command, config.module);
    const payload = parseOperationPayload(plan.record, zohoUpsertPayloadSchema);
    const logger = context.logger.child({ tenant_id: command.tenant_id, call_id: command.call_id });
    const target: ZohoUpsertTarget = {
      tenantId: command.tenant_id,
      credentials: await zohoCredentials(config, context.secrets),
      apiDomain: config.api_domain,
      apiVersion: config.api_version,
      module: config.module,
      gate: () => this.limiter.acquire(command.tenant_id),
      timeoutMs: this.timeoutMs,
      logger,
    };
    const known = this.created.get(command.tenant_id, command.idempotency_key, plan.record.ref);
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
      this.created.forget(command.tenant_id, command.idempotency_key, plan.record.ref);
      result = await this.upserts.upsert(target, payload);
    }
    if (result.action === 'created')
      this.created.remember(command.tenant_id, command.idempotency_key, plan.record.ref, result.id);

    const outcomes: OperationOutcome[] = [{ ref: plan.record.ref, object_type: config.module, ...result }];
    for (const workflow of plan.workflows) {
      logger.info(
        { workflow_step: 'crm_push', ref: workflow.ref, action: workflow.action, status: 'skipped' },
        "workflow action left to Zoho's workflow rules",
      );
      outcomes.push({ ref: workflow.ref, object_type: config.module, id: result.id, action: 'skipped' });
    }
    logger.debug(
      { workflow_step: 'crm_push', record_id: result.id, status: result.action },
      'Zoho record done',
    );
    return { outcomes };
  }
}
