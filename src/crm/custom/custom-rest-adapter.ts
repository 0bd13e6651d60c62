import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { CrmCommand, CrmOperation } from '../../events/crm-command.js';
import type { Logger } from '../../observability/logger.js';
import type { RateLimit } from '../../rate-limits/token-bucket.js';
import { type Clock, systemClock } from '../../time/clock.js';
import type {
  ConfiguredCrmContext,
  DefinedCrmAdapter,
  DeliveryResult,
  OperationOutcome,
} from '../crm-adapter.js';
import { skippedWorkflowAction } from '../kernel/workflow-skip.js';
import { invalidOperation } from '../operation-payload.js';
import { TenantRateLimiter } from '../rate-limits/tenant-rate-limiter.js';
import {
  type AuthenticationScope,
  type AuthValues,
  CustomAuthenticator,
  type RequestCredentials,
} from './authentication.js';
import type { CustomCrmConfig } from './config.js';
import { DeliveredRequests } from './delivered-requests.js';
import { exchange, type HttpAnswer, type HttpRequest } from './http-exchange.js';
import { OAuth2Tokens } from './oauth2-tokens.js';
import {
  AUTH_SLOT,
  type BodySlot,
  type CustomJson,
  type CustomRequestPayload,
  customRequestPayload,
  ID_SLOT,
  type TemplatePart,
} from './payloads.js';
import {
  fillBody,
  fillHeader,
  fillPath,
  hasDotSegment,
  headerSafe,
  pathLabel,
  referencedRefs,
  type SlotValue,
} from './placeholders.js';
import { DEFAULT_CUSTOM_RATE_LIMIT } from './rate-limits.js';
import { idAt, idFromLocation } from './response-id.js';

export interface CustomRestAdapterOptions {
  clock?: Clock;
  /** Per-tenant request pace of this process (DEFAULT_CUSTOM_RATE_LIMIT unless given). */
  rateLimit?: RateLimit;
  /** The requests deliveries got a success for; in process unless given one in front of the ledger. */
  delivered?: DeliveredRequests;
}

interface RequestStep {
  operation: CrmOperation;
  payload: CustomRequestPayload;
}

/** One HTTP request of an operation: its create, the find asked before it, or the update of a found record. */
interface RequestSpec {
  endpoint: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  path: TemplatePart[];
  headers: Record<string, TemplatePart[]>;
  body: CustomJson;
  body_slots: BodySlot[];
  /** Sent as Idempotency-Key unless the endpoint's headers name one; none on a find. */
  idempotencyKey: string | undefined;
}

interface Delivery {
  command: CrmCommand;
  config: CustomCrmConfig;
  auth: AuthenticationScope;
  logger: Logger;
  credentials: RequestCredentials;
  ids: Map<string, string | number>;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((header) => header.toLowerCase() === lower);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Delivers CRM commands to any REST CRM the tenant describes (the setup guide's custom block): one
 * request per operation, in order, to `api_base_url` + the endpoint's path, authenticated by the
 * configured scheme. The id each response gives (at the endpoint's response_id_path) fills later
 * operations' `{{<ref>.id}}`, so an opportunity can name its contact. Workflow actions have no generic
 * REST meaning and are reported as skipped. Safe to repeat: a request that succeeded is not sent again
 * for the same command, on any process when the delivered requests sit in front of the delivery ledger
 * (see DeliveredRequests); a record with a `find_<record>` endpoint is also looked for before creating.
 */
export class CustomRestAdapter implements DefinedCrmAdapter<CustomCrmConfig> {
  private readonly clock: Clock;
  private readonly authenticator: CustomAuthenticator;
  private readonly delivered: DeliveredRequests;
  private readonly limiter: TenantRateLimiter;

  constructor(options: CustomRestAdapterOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.authenticator = new CustomAuthenticator(new OAuth2Tokens(this.clock));
    this.delivered = options.delivered ?? new DeliveredRequests();
    this.limiter = new TenantRateLimiter(options.rateLimit ?? DEFAULT_CUSTOM_RATE_LIMIT);
  }

  async execute(
    command: CrmCommand,
    context: ConfiguredCrmContext<CustomCrmConfig>,
  ): Promise<DeliveryResult> {
    const { config } = context;
    const steps = command.operations.map((operation): RequestStep | CrmOperation => {
      if (operation.kind === 'custom_request') return { operation, payload: customRequestPayload(operation) };
      if (operation.kind === 'workflow_action') return operation;
      throw invalidOperation(operation, 'the custom REST adapter does not run this kind of operation');
    });
    const auth: AuthenticationScope = {
      tenantId: command.tenant_id,
      secrets: context.secrets,
      timeoutMs: config.timeout_ms,
      outbound: context.outbound,
    };
    const delivery: Delivery = {
      command,
      config,
      auth,
      logger: context.logger,
      credentials: await this.authenticator.credentialsFor(config.authentication, auth),
      ids: new Map(),
    };
    const outcomes: OperationOutcome[] = [];
    for (const [index, step] of steps.entries()) {
      if (!('payload' in step)) {
        outcomes.push(
          skippedWorkflowAction(delivery.logger, step, {
            object_type: 'workflow',
            id: outcomes[0]?.id ?? '',
          }),
        );
        continue;
      }
      const later = steps.slice(index + 1).flatMap((next) => ('payload' in next ? [next.payload] : []));
      const outcome = await this.deliverRequest(
        delivery,
        step,
        later.some((payload) => referencedRefs(payload).has(step.operation.ref)),
      );
      outcomes.push(outcome);
    }
    return { outcomes };
  }

  private async deliverRequest(
    delivery: Delivery,
    { operation, payload }: RequestStep,
    referencedLater: boolean,
  ): Promise<OperationOutcome> {
    const { command, logger } = delivery;
    const object_type = operation.object_type;
    const remembered = this.delivered.get(command.tenant_id, command.idempotency_key, operation.ref);
    if (remembered !== undefined) {
      if (remembered.id !== null) delivery.ids.set(operation.ref, remembered.id);
      logger.debug(
        {
          workflow_step: 'crm_push',
          ref: operation.ref,
          endpoint: remembered.endpoint,
          method: remembered.method,
          status: 'skipped',
        },
        'already delivered',
      );
      return { ref: operation.ref, object_type, id: String(remembered.id ?? ''), action: 'skipped' };
    }
    if (payload.find !== undefined) {
      const id = await this.find(delivery, operation, payload.find);
      if (id !== undefined)
        return this.deliverToFound(delivery, operation, payload, { endpoint: payload.find.endpoint, id });
    }
    const answer = await this.send(delivery, operation, {
      ...payload,
      idempotencyKey: `${command.idempotency_key}:${operation.ref}`,
    });
    const body = parseJson(answer.text);
    const id =
      idAt(body, payload.response_id_path) ??
      (answer.text.trim() === '' ? idFromLocation(answer.headers.get('location')) : undefined);
    if (id === undefined && referencedLater) {
      const keys = body !== null && typeof body === 'object' ? Object.keys(body).slice(0, 10).join(', ') : '';
      throw new LeadstreamError(
        'config_error',
        `the answer to ${payload.endpoint} has no id at "${payload.response_id_path}", which a later operation needs: set the endpoint's response_id_path${keys === '' ? '' : ` (the answer has: ${keys})`}`,
        { details: { ref: operation.ref, endpoint: payload.endpoint } },
      );
    }
    if (id !== undefined) delivery.ids.set(operation.ref, id);
    this.delivered.remember(command.tenant_id, command.idempotency_key, operation.ref, {
      endpoint: payload.endpoint,
      method: payload.method,
      id: id ?? null,
    });
    return {
      ref: operation.ref,
      object_type,
      id: id === undefined ? '' : String(id),
      action: payload.method === 'POST' ? 'created' : 'updated',
    };
  }

  /** The id `find_<record>` answers with, or undefined when it finds nothing (an empty list, no body). */
  private async find(
    delivery: Delivery,
    operation: CrmOperation,
    find: NonNullable<CustomRequestPayload['find']>,
  ): Promise<string | number | undefined> {
    const answer = await this.send(delivery, operation, {
      ...find,
      method: 'GET',
      body: null,
      body_slots: [],
      idempotencyKey: undefined,
    });
    return idAt(parseJson(answer.text), find.response_id_path);
  }

  /** A record find_<record> found: sent update_<record> when configured, else left as it is. */
  private async deliverToFound(
    delivery: Delivery,
    operation: CrmOperation,
    payload: CustomRequestPayload,
    found: { endpoint: string; id: string | number },
  ): Promise<OperationOutcome> {
    const { command, logger } = delivery;
    const { id } = found;
    delivery.ids.set(operation.ref, id);
    if (payload.update !== undefined) {
      await this.send(delivery, operation, {
        ...payload.update,
        body: payload.body,
        body_slots: payload.body_slots,
        idempotencyKey: `${command.idempotency_key}:${operation.ref}:update`,
      });
    }
    this.delivered.remember(command.tenant_id, command.idempotency_key, operation.ref, {
      endpoint: payload.update?.endpoint ?? found.endpoint,
      method: payload.update?.method ?? 'GET',
      id,
    });
    const action = payload.update === undefined ? 'skipped' : 'updated';
    logger.info(
      { workflow_step: 'crm_push', ref: operation.ref, record_id: String(id), status: action },
      'record found in the custom CRM; not created',
    );
    return { ref: operation.ref, object_type: operation.object_type, id: String(id), action };
  }

  /** Sends one request; an OAuth2 token the CRM refuses is replaced once. */
  private async send(delivery: Delivery, operation: CrmOperation, payload: RequestSpec): Promise<HttpAnswer> {
    const label = `${payload.endpoint} (${payload.method} ${pathLabel(payload.path)})`;
    const attempt = async () => {
      const request = this.request(delivery, operation, payload);
      await this.limiter.acquire(delivery.command.tenant_id);
      const started = performance.now();
      try {
        const answer = await exchange(request, {
          label,
          timeoutMs: delivery.config.timeout_ms,
          outbound: delivery.auth.outbound,
          redact: delivery.credentials.redact,
          now: () => this.clock.now(),
        });
        this.log(delivery, operation, payload, started, answer.status);
        return answer;
      } catch (error) {
        const status = error instanceof LeadstreamError ? error.details.status : undefined;
        this.log(
          delivery,
          operation,
          payload,
          started,
          typeof status === 'number' ? status : undefined,
          error,
        );
        throw error;
      }
    };
    try {
      return await attempt();
    } catch (error) {
      const refused = error instanceof LeadstreamError && error.details.status === 401;
      if (
        !refused ||
        !(await this.authenticator.forgetToken(delivery.config.authentication, delivery.auth))
      ) {
        throw error;
      }
      delivery.credentials = await this.authenticator.credentialsFor(
        delivery.config.authentication,
        delivery.auth,
      );
      return attempt();
    }
  }

  /**
   * The HTTP request: the payload's text as it is, its slots filled from the credential and earlier ids.
   * No text is searched for placeholders, so none a caller typed is ever expanded.
   */
  private request(delivery: Delivery, operation: CrmOperation, payload: RequestSpec): HttpRequest {
    const { credentials } = delivery;
    const value = this.slotValue(delivery, operation, payload.endpoint);
    const path = fillPath(payload.path, value);
    if (hasDotSegment(path)) {
      throw invalidOperation(
        operation,
        `the path of ${payload.endpoint} has a "." or ".." segment, which would leave it`,
      );
    }
    const headers: Record<string, string> = {};
    for (const [name, parts] of Object.entries(payload.headers)) {
      const text = fillHeader(parts, value);
      if (!headerSafe(text)) {
        throw new LeadstreamError(
          'validation_error',
          `${payload.endpoint}: header ${name} holds characters HTTP forbids; not sent`,
          { details: { endpoint: payload.endpoint, header: name } },
        );
      }
      headers[name] = text;
    }
    for (const [name, text] of Object.entries(credentials.headers)) {
      if (!hasHeader(headers, name)) headers[name] = text;
    }
    if (!hasHeader(headers, 'accept')) headers.Accept = 'application/json';
    if (payload.idempotencyKey !== undefined && !hasHeader(headers, 'idempotency-key'))
      headers['Idempotency-Key'] = payload.idempotencyKey;
    const body =
      payload.body === null ? undefined : JSON.stringify(fillBody(payload.body, payload.body_slots, value));
    if (body !== undefined && !hasHeader(headers, 'content-type'))
      headers['Content-Type'] = 'application/json';
    const url = new URL(`${delivery.config.api_base_url.replace(/\/+$/, '')}${path}`);
    for (const [name, text] of Object.entries(credentials.query)) url.searchParams.set(name, text);
    return { method: payload.method, url, headers, ...(body === undefined ? {} : { body }) };
  }

  /**
   * What the slots of one request stand for: the credential the scheme resolved, or the id an earlier
   * operation of this command got. A slot with nothing to stand for stops the request.
   */
  private slotValue(delivery: Delivery, operation: CrmOperation, endpoint: string): SlotValue {
    return (slot) => {
      const auth = AUTH_SLOT.exec(slot)?.[1] as keyof AuthValues | undefined;
      if (auth !== undefined) {
        const credential = delivery.credentials.values[auth];
        if (credential !== undefined) return credential;
        throw new LeadstreamError(
          'config_error',
          `endpoint ${endpoint} uses {{${slot}}}, which authentication type ${delivery.config.authentication.type} does not provide`,
          { details: { endpoint } },
        );
      }
      const ref = ID_SLOT.exec(slot)?.[1] ?? slot;
      const id = delivery.ids.get(ref);
      if (id !== undefined) return id;
      throw invalidOperation(operation, `needs {{${ref}.id}}, but no earlier operation ${ref} gave an id`);
    };
  }

  private log(
    delivery: Delivery,
    operation: CrmOperation,
    payload: RequestSpec,
    started: number,
    httpStatus: number | undefined,
    error?: unknown,
  ): void {
    const fields = {
      workflow_step: 'crm_push',
      ref: operation.ref,
      endpoint: payload.endpoint,
      method: payload.method,
      http_status: httpStatus ?? null,
      duration_ms: Math.round(performance.now() - started),
      status: error === undefined ? 'success' : 'failed',
      ...(error instanceof LeadstreamError ? { error_type: error.type } : {}),
    };
    if (error === undefined) delivery.logger.debug(fields, 'custom CRM request done');
    else delivery.logger.warn(fields, 'custom CRM request failed');
  }
}
