import type { z } from 'zod';
import type { CommandBuilder } from '../mapping/command-builder.js';
import type { MappingIssues } from '../mapping/mapping-issues.js';
import type { Logger } from '../observability/logger.js';
import type { OutboundGuard } from '../outbound/outbound-guard.js';
import type { RateLimit } from '../rate-limits/token-bucket.js';
import type { SecretResolver } from '../secrets/secret-resolver.js';
import type { Clock } from '../time/clock.js';
import type { ConnectivityResult } from './connectivity-result.js';
import type { DefinedCrmAdapter } from './crm-adapter.js';
import type { CrmErrorRules } from './errors/http-status-classification.js';
import type { RecordLedger } from './ledger/record-ledger.js';

/** What every CRM's `crm_config` block has: the `type` the catalog is keyed by. */
export interface TypedCrmConfig {
  type: string;
}

/** What an adapter is built with, once per delivery process. */
export interface CrmAdapterDeps {
  clock: Clock;
  /**
   * Where the adapter's memories (the records deliveries created, the callers matched lately) are kept
   * beyond the process; absent, in memory only (tests, the CLI).
   */
  ledger?: RecordLedger | undefined;
}

/** What every adapter may be built with: the deps a definition passes, and a deadline a test sets. */
export interface CrmAdapterOptions extends Partial<CrmAdapterDeps> {
  /** Deadline of one request to the CRM. */
  requestTimeoutMs?: number;
}

/** One CRM reached with one tenant's configuration, for the CLI's checks. */
export interface CrmTarget<C extends TypedCrmConfig> {
  tenantId: string;
  config: C;
  secrets: SecretResolver;
  outbound: OutboundGuard;
  clock: Clock;
  timeoutMs: number;
  logger: Logger;
}

/** What `leadstream crm provision` prints, and whether anything needs a person's decision. */
export interface ProvisionOutcome {
  report: unknown;
  needsDecision: boolean;
}

/**
 * The workflow actions a CRM's adapter carries out itself (besides the notifier's, which every CRM
 * has): exact names, and a prefix any action may start with (Salesforce's `assign_*`). `tenants
 * validate` refuses any other action, which the adapter could only log as skipped.
 */
export interface WorkflowActionSupport {
  names: readonly string[];
  prefix?: string;
}

/**
 * The request pacing each delivery replica keeps per tenant so that steady load never provokes a 429:
 * the general budget, and the search budget on top of it where the CRM has one.
 */
export interface RateLimitProfile {
  general: RateLimit;
  search?: RateLimit;
  /** The `crm_config` key a tenant raises the general budget with, for its plan. */
  tenantSetting?: string;
  /** The bucket that keeps that plan budget (requests per the CRM's window) within it. */
  planBudget?(requests: number): RateLimit;
}

/**
 * One CRM, declared as data beside its code (the shape of the open-source CDPs' destination
 * definitions): everything outside its folder learns what the CRM is from here, through the catalog
 * (src/crm/catalog.ts), never from a list of its own.
 */
export interface CrmDefinition<C extends TypedCrmConfig> {
  readonly type: C['type'];
  /** How people name it, in messages. */
  readonly title: string;
  /** The tenant's `crm_config` block for this CRM; its `type` is a literal. */
  readonly configSchema: z.ZodType<C>;
  /** The mapping side: the tenant's rules compiled once into what each call becomes. */
  compileCommand(config: C, issues: MappingIssues): CommandBuilder;
  /**
   * The delivery side: one adapter per process, which receives a command and the tenant's context with
   * its configuration already narrowed to this CRM (src/crm/registry.ts checks the type once).
   */
  createAdapter(deps: CrmAdapterDeps): DefinedCrmAdapter<C>;
  /** `leadstream crm test`: whether the CRM answers with the tenant's credentials, said in a sentence. */
  checkConnectivity(target: CrmTarget<C>): Promise<ConnectivityResult>;
  /** `leadstream crm provision`, where the CRM can be given the fields the mapping writes to. */
  provision?(target: CrmTarget<C>): Promise<ProvisionOutcome>;
  /**
   * Where this CRM departs from the shared HTTP status rule (src/crm/errors/), by the answers they read
   * (`api`, or a token server's); absent, it keeps the shared rule as it is.
   */
  readonly errorRules?: Readonly<Record<string, CrmErrorRules<never>>>;
  readonly workflowActions: WorkflowActionSupport;
  readonly rateLimits: RateLimitProfile;
}
