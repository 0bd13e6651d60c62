import type { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/deals/index.js';
import type { HubSpotCrmConfig } from '../../config/tenants/tenant-config.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { CrmCommand, CrmOperation } from '../../events/crm-command.js';
import type { Logger } from '../../observability/logger.js';
import { type Clock, systemClock } from '../../time/clock.js';
import { type CreatedRecords, createdStrings } from '../created-records.js';
import type {
  ConfiguredCrmContext,
  DefinedCrmAdapter,
  DeliveryResult,
  OperationOutcome,
} from '../crm-adapter.js';
import type { CrmAdapterOptions } from '../crm-definition.js';
import { type OperationOutcomes, runOperations } from '../kernel/operation-run.js';
import { skippedWorkflowAction } from '../kernel/workflow-skip.js';
import { parseOperationPayload } from '../operation-payload.js';
import { PlanRateLimits } from '../rate-limits/plan-rate-limits.js';
import type { RequestGates } from '../rate-limits/search-rate-limits.js';
import { type RecentMatches, recentStrings } from '../recent-matches.js';
import { HubSpotClientFactory } from './client-factory.js';
import { ContactUpsert } from './contact-upsert.js';
import { createdEarlier } from './created-earlier.js';
import { callHubSpot } from './error-classification.js';
import {
  type IdempotencyKeyObject,
  idempotencyKeyOf,
  isIdempotencyKeyObject,
} from './idempotency-key-property.js';
import { upsertByIdempotencyKey } from './idempotent-upsert.js';
import { OwnerDirectory } from './owners.js';
import { type HubSpotObjectPayload, hubspotObjectPayloadSchema } from './payloads.js';
import { type PortalCheck, PortalIdempotencyKeys } from './portal-idempotency-keys.js';
import { HUBSPOT_RATE_LIMITS } from './rate-limits.js';

/** The memories and clients a test gives in place of those built from the ledger and the defaults. */
export interface HubSpotAdapterOptions extends CrmAdapterOptions {
  clients?: HubSpotClientFactory;
  recentContacts?: RecentMatches<string>;
  createdRecords?: CreatedRecords<string>;
  rateLimits?: PlanRateLimits;
  idempotencyKeys?: PortalIdempotencyKeys;
}

/** HUBSPOT_DEFINED association type ids (the reference's table). */
const DEAL_TO_CONTACT = 3;
const TASK_TO_CONTACT = 204;
const CALL_TO_CONTACT = 194;
const CALL_TO_DEAL = 206;

type CreatedObjectType = 'deals' | 'tasks' | 'calls';

interface Execution {
  command: CrmCommand;
  config: HubSpotCrmConfig;
  client: Client;
  logger: Logger;
  gates: RequestGates;
  /** Outcomes so far, for link_to. */
  done: OperationOutcomes;
}

/** HubSpot takes every property value as text. */
function asStrings(properties: HubSpotObjectPayload['properties']): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).map(([name, value]) => [name, String(value)]));
}

function expectObjectType(operation: CrmOperation, expected: string): void {
  if (operation.object_type !== expected) {
    throw new LeadstreamError(
      'validation_error',
      `operation ${operation.ref} (${operation.kind}) targets ${operation.object_type}; HubSpot takes ${expected}`,
      { details: { ref: operation.ref, object_type: operation.object_type } },
    );
  }
}

/**
 * Delivers CRM commands to HubSpot through the official SDK. Operations run in order; link_to refers
 * to an earlier operation's record. Safe to repeat: contacts are matched before they are created, deals
 * are upserted by a unique idempotency key where the portal is provisioned with it, and deals, tasks
 * and calls a delivery already created are remembered (see CreatedRecords for the limits).
 */
export class HubSpotAdapter implements DefinedCrmAdapter<HubSpotCrmConfig> {
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly clients: HubSpotClientFactory;
  private readonly recent: RecentMatches<string>;
  private readonly created: CreatedRecords<string>;
  private readonly owners: OwnerDirectory;
  private readonly rateLimits: PlanRateLimits;
  private readonly idempotencyKeys: PortalIdempotencyKeys;

  constructor(options: HubSpotAdapterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.clients = options.clients ?? new HubSpotClientFactory();
    this.recent = options.recentContacts ?? recentStrings(options.ledger);
    this.created = options.createdRecords ?? createdStrings(options.ledger);
    this.owners = new OwnerDirectory(this.clock, this.timeoutMs);
    this.rateLimits = options.rateLimits ?? new PlanRateLimits(HUBSPOT_RATE_LIMITS);
    this.idempotencyKeys = options.idempotencyKeys ?? new PortalIdempotencyKeys();
  }

  async execute(
    command: CrmCommand,
    context: ConfiguredCrmContext<HubSpotCrmConfig>,
  ): Promise<DeliveryResult> {
    const { config, logger } = context;
    const client = await this.clients.clientFor(command.tenant_id, config, context.secrets, context.outbound);
    const gates = this.rateLimits.gatesFor(command.tenant_id, config.requests_per_ten_seconds);
    return runOperations(command, logger, 'HubSpot', (operation, done) =>
      this.executeOperation({ command, config, client, logger, gates, done }, operation),
    );
  }

  private executeOperation(execution: Execution, operation: CrmOperation): Promise<OperationOutcome> {
    switch (operation.kind) {
      case 'upsert_contact':
      case 'upsert_lead':
        expectObjectType(operation, 'contacts');
        return this.upsertContact(execution, operation);
      case 'create_deal':
        expectObjectType(operation, 'deals');
        return this.createOnce(execution, operation, 'deals', DEAL_TO_CONTACT);
      case 'create_task':
        expectObjectType(operation, 'tasks');
        return this.createOnce(execution, operation, 'tasks', TASK_TO_CONTACT);
      case 'log_call':
        expectObjectType(operation, 'calls');
        return this.createOnce(execution, operation, 'calls', CALL_TO_CONTACT);
      case 'workflow_action':
        return this.workflowAction(execution, operation);
      case 'custom_request':
        throw new LeadstreamError(
          'validation_error',
          'the HubSpot adapter does not run custom_request operations',
          {
            details: { ref: operation.ref },
          },
        );
    }
  }

  private async withOwner(
    execution: Execution,
    payload: HubSpotObjectPayload,
  ): Promise<Record<string, string>> {
    const properties = asStrings(payload.properties);
    if (payload.owner_email === undefined) return properties;
    const ownerId = await this.owners.ownerId(
      execution.client,
      execution.command.tenant_id,
      payload.owner_email,
      execution.gates.request,
    );
    return { ...properties, hubspot_owner_id: ownerId };
  }

  private async upsertContact(execution: Execution, operation: CrmOperation): Promise<OperationOutcome> {
    const { command, client, logger } = execution;
    const properties = await this.withOwner(
      execution,
      parseOperationPayload(operation, hubspotObjectPayloadSchema),
    );
    const upsert = new ContactUpsert({
      client,
      tenantId: command.tenant_id,
      recent: this.recent,
      clock: this.clock,
      timeoutMs: this.timeoutMs,
      logger,
      gates: execution.gates,
    });
    const known = this.created.get(command.tenant_id, command.idempotency_key, operation.ref);
    if (known === undefined) {
      await this.created.beforeCreate(command.tenant_id, command.idempotency_key, operation.ref);
    }
    const result = await upsert.upsert(properties, command.duplicate_detection, known);
    if (result.action === 'created') {
      this.created.remember(command.tenant_id, command.idempotency_key, operation.ref, result.id);
    }
    return { ref: operation.ref, object_type: 'contacts', ...result };
  }

  private linkedContact(execution: Execution, operation: CrmOperation): string | undefined {
    return execution.done.linked(operation, 'contacts', 'contact')?.id;
  }

  /**
   * Creates a deal, task or call unless an earlier delivery of this command already did. A call is
   * associated with the command's deal too, so it shows on both timelines.
   */
  private async createOnce(
    execution: Execution,
    operation: CrmOperation,
    objectType: CreatedObjectType,
    associationTypeId: number,
  ): Promise<OperationOutcome> {
    const { command, client, logger } = execution;
    const earlier = this.created.get(command.tenant_id, command.idempotency_key, operation.ref);
    if (earlier !== undefined) {
      logger.debug(
        { ref: operation.ref, id: earlier },
        `${objectType} already created by an earlier delivery`,
      );
      return { ref: operation.ref, object_type: objectType, id: earlier, action: 'skipped' };
    }
    const properties = await this.withOwner(
      execution,
      parseOperationPayload(operation, hubspotObjectPayloadSchema),
    );
    const contactId = this.linkedContact(execution, operation);
    const deal = execution.done.first('deals');
    const targets = [
      ...(contactId === undefined ? [] : [{ id: contactId, objectType: 'contacts', associationTypeId }]),
      ...(objectType === 'calls' && deal !== undefined
        ? [{ id: deal.id, objectType: 'deals', associationTypeId: CALL_TO_DEAL }]
        : []),
    ];
    if (
      isIdempotencyKeyObject(objectType) &&
      (await this.idempotencyKeys.has(this.portalCheck(execution), objectType))
    ) {
      return this.upsertByKey(execution, operation, objectType, properties, targets);
    }
    const associations = targets.map((target) => ({
      to: { id: target.id },
      types: [
        {
          associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
          associationTypeId: target.associationTypeId,
        },
      ],
    }));
    const since = this.created.creatingSince(command.tenant_id, command.idempotency_key, operation.ref);
    if (since !== undefined && contactId !== undefined) {
      const found = await createdEarlier({
        client,
        contactId,
        objectType,
        properties,
        since,
        call: { clock: this.clock, timeoutMs: this.timeoutMs, gate: execution.gates.request },
      });
      if (found !== undefined) {
        logger.info(
          { workflow_step: 'crm_push', ref: operation.ref, id: found },
          `${objectType} created by an earlier delivery that did not record it; not creating another`,
        );
        this.created.remember(command.tenant_id, command.idempotency_key, operation.ref, found);
        return { ref: operation.ref, object_type: objectType, id: found, action: 'skipped' };
      }
    }
    const input = { properties, associations };
    await this.created.beforeCreate(command.tenant_id, command.idempotency_key, operation.ref);
    const created = await callHubSpot(
      `${objectType}.create`,
      () => {
        switch (objectType) {
          case 'deals':
            return client.crm.deals.basicApi.create(input);
          case 'tasks':
            return client.crm.objects.tasks.basicApi.create(input);
          case 'calls':
            return client.crm.objects.calls.basicApi.create(input);
        }
      },
      { clock: this.clock, timeoutMs: this.timeoutMs, objectType, gate: execution.gates.request },
    );
    this.created.remember(command.tenant_id, command.idempotency_key, operation.ref, created.id);
    return { ref: operation.ref, object_type: objectType, id: created.id, action: 'created' };
  }

  private portalCheck(execution: Execution): PortalCheck {
    return {
      client: execution.client,
      tenantId: execution.command.tenant_id,
      logger: execution.logger,
      clock: this.clock,
      timeoutMs: this.timeoutMs,
      gate: execution.gates.request,
    };
  }

  /** The provisioned portal's way: HubSpot itself keeps a redelivered command to the deal it made first. */
  private async upsertByKey(
    execution: Execution,
    operation: CrmOperation,
    objectType: IdempotencyKeyObject,
    properties: Record<string, string>,
    targets: Array<{ objectType: string; id: string }>,
  ): Promise<OperationOutcome> {
    const { command } = execution;
    const upserted = await upsertByIdempotencyKey({
      ...this.portalCheck(execution),
      objectType,
      key: idempotencyKeyOf(command.idempotency_key, operation.ref),
      properties,
      associateWith: targets,
    }).catch((error: unknown) => {
      if (error instanceof LeadstreamError && !error.retryable) {
        this.idempotencyKeys.forget(command.tenant_id, objectType);
      }
      throw error;
    });
    this.created.remember(command.tenant_id, command.idempotency_key, operation.ref, upserted.id);
    return {
      ref: operation.ref,
      object_type: objectType,
      id: upserted.id,
      action: upserted.created ? 'created' : 'updated',
    };
  }

  private async workflowAction(execution: Execution, operation: CrmOperation): Promise<OperationOutcome> {
    const { command, client, logger } = execution;
    const contactId = this.linkedContact(execution, operation);
    if (operation.action !== 'assign_owner') {
      return skippedWorkflowAction(logger, operation, {
        object_type: operation.object_type,
        id: contactId ?? '',
      });
    }
    const payload = parseOperationPayload(operation, hubspotObjectPayloadSchema);
    if (payload.owner_email === undefined || contactId === undefined) {
      throw new LeadstreamError(
        'validation_error',
        `assign_owner (${operation.ref}) needs owner_email and a contact to assign`,
        { details: { ref: operation.ref } },
      );
    }
    const ownerId = await this.owners.ownerId(
      client,
      command.tenant_id,
      payload.owner_email,
      execution.gates.request,
    );
    await callHubSpot(
      'contacts.update',
      () => client.crm.contacts.basicApi.update(contactId, { properties: { hubspot_owner_id: ownerId } }),
      { clock: this.clock, timeoutMs: this.timeoutMs, objectType: 'contacts', gate: execution.gates.request },
    );
    return { ref: operation.ref, object_type: 'contacts', id: contactId, action: 'updated' };
  }
}
