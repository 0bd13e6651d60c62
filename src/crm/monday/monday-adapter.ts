import type { CrmCommand } from '../../events/crm-command.js';
import type { RateLimit } from '../../rate-limits/token-bucket.js';
import { type Clock, systemClock } from '../../time/clock.js';
import { type CreatedRecords, createdStrings, durableStrings } from '../created-records.js';
import type {
  ConfiguredCrmContext,
  DefinedCrmAdapter,
  DeliveryResult,
  OperationOutcome,
} from '../crm-adapter.js';
import type { CrmAdapterOptions } from '../crm-definition.js';
import { type OperationPlan, planOperations } from '../kernel/operation-plan.js';
import { skippedWorkflowAction } from '../kernel/workflow-skip.js';
import { parseOperationPayload } from '../operation-payload.js';
import { TenantRateLimiter } from '../rate-limits/tenant-rate-limiter.js';
import { RecentIds } from '../recent-ids.js';
import { BoardColumns } from './board-columns.js';
import type { MondayCrmConfig } from './config.js';
import { MondayGraphqlClient } from './graphql-client.js';
import { ItemUpdates } from './item-update.js';
import { ItemUpsert } from './item-upsert.js';
import { mondayItemPayloadSchema, mondayUpdatePayloadSchema } from './payloads.js';
import { DEFAULT_MONDAY_RATE_LIMIT } from './rate-limits.js';

export interface MondayAdapterOptions extends CrmAdapterOptions {
  /** Per-tenant request budget of this process (DEFAULT_MONDAY_RATE_LIMIT unless given). */
  rateLimit?: RateLimit;
  /** The items and call updates deliveries created, by command. */
  createdRecords?: CreatedRecords<string>;
  /** Items matched or created lately, by board, column and value. */
  recentItems?: RecentIds<string>;
}

/** The item, its call as an update, and workflow actions. */
function planOf(command: CrmCommand): OperationPlan<'call'> {
  return planOperations(command, {
    crm: 'Monday',
    record: { kind: 'upsert_contact', objectType: 'items', noun: 'item' },
    others: { call: { kind: 'log_call', objectType: 'updates', noun: 'call' } },
  });
}

/**
 * Delivers CRM commands to Monday.com through its GraphQL API: one item per lead on the configured
 * board and group, columns addressed by title, an existing item (same phone) updated instead of a
 * second one created. Workflow actions are left to the board's own automations, which react to the
 * item's creation and column changes. The call is an update on the item (see ItemUpdates). Safe to
 * repeat (see ItemUpsert).
 */
export class MondayAdapter implements DefinedCrmAdapter<MondayCrmConfig> {
  private readonly limiter: TenantRateLimiter;
  private readonly timeoutMs: number;
  private readonly clock: Clock;
  private readonly items: ItemUpsert;
  private readonly updates: ItemUpdates;

  constructor(options: MondayAdapterOptions = {}) {
    const created = options.createdRecords ?? createdStrings(options.ledger);
    const recent = options.recentItems ?? new RecentIds({ ledger: durableStrings(options.ledger) });
    this.items = new ItemUpsert(new BoardColumns(), created, recent);
    this.updates = new ItemUpdates(created);
    this.limiter = new TenantRateLimiter(options.rateLimit ?? DEFAULT_MONDAY_RATE_LIMIT);
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.clock = options.clock ?? systemClock;
  }

  async execute(
    command: CrmCommand,
    context: ConfiguredCrmContext<MondayCrmConfig>,
  ): Promise<DeliveryResult> {
    const { config, logger } = context;
    const plan = planOf(command);
    const payload = parseOperationPayload(plan.record, mondayItemPayloadSchema);
    const client = new MondayGraphqlClient({
      apiUrl: config.api_url,
      apiToken: await context.secrets.resolve(config.api_token),
      apiVersion: config.api_version,
      gate: () => this.limiter.acquire(command.tenant_id),
      timeoutMs: this.timeoutMs,
      clock: this.clock,
      outbound: context.outbound,
    });
    const result = await this.items.upsert(client, command, { ref: plan.record.ref, item: payload }, logger);
    const outcomes: OperationOutcome[] = [{ ref: plan.record.ref, object_type: 'items', ...result }];
    for (const workflow of plan.workflows) {
      outcomes.push(skippedWorkflowAction(logger, workflow, { object_type: 'items', id: result.id }));
    }
    logger.debug(
      { workflow_step: 'crm_push', item_id: result.id, status: result.action },
      'Monday item done',
    );
    const call = plan.others.call;
    if (call) {
      const update = parseOperationPayload(call, mondayUpdatePayloadSchema);
      outcomes.push(await this.updates.post(client, command, call.ref, update, result.id));
    }
    return { outcomes };
  }
}
