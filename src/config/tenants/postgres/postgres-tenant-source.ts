import pg from 'pg';
import { LeadstreamError } from '../../../errors/leadstream-error.js';
import type { Logger } from '../../../observability/logger.js';
import type { Metrics } from '../../../observability/metrics.js';
import type { OutboundPolicy } from '../../../outbound/outbound-policy.js';
import type { TenantConfig } from '../tenant-config.js';
import type { TenantConfigSource } from '../tenant-config-source.js';
import { TENANT_COLUMNS, type TenantRow, validateTenantRow } from './tenant-row.js';

/** The channel the `tenants` table's trigger notifies, with the tenant id as payload. */
export const TENANTS_CHANNEL = 'leadstream_tenants';

export interface PostgresTenantSourceOptions {
  pool: pg.Pool;
  /** close() ends the pool too (the source made it for itself). */
  ownsPool?: boolean;
  /** For the LISTEN connection, which is held open and cannot come from the pool. */
  connectionString: string;
  outbound: OutboundPolicy;
  logger: Logger;
  metrics: Metrics;
  /** How often the table is read whole: what LISTEN/NOTIFY missed (a lost connection) is caught then. */
  reloadIntervalMs: number;
  /** How long waitFor() keeps re-reading the store for a tenant it does not know. */
  unknownTenantWaitMs: number;
}

/** Which configuration of a tenant a process runs: what an SRE compares across pods. */
export interface LoadedTenant {
  tenantId: string;
  /** The store's version of the row in force (a decimal bigint). */
  version: string;
  enabled: boolean;
  updatedAt: Date;
}

interface Entry extends LoadedTenant {
  config: TenantConfig;
}

const RECONNECT_MS = 2_000;
const WAIT_POLL_MAX_MS = 5_000;

/**
 * Tenant configuration from the `tenants` table, kept in memory and changed while the process runs: a
 * row's trigger NOTIFYs its tenant id, and the row is read again; the whole table is read again every
 * reloadIntervalMs and after the LISTEN connection comes back. A row replaces the working configuration
 * only once it passes `tenants validate`'s checks; one that does not is logged with its JSON paths and
 * counted, and the tenant's last good configuration stays in force.
 */
export class PostgresTenantSource implements TenantConfigSource {
  private readonly entries = new Map<string, Entry>();
  /** CallRail company id → the tenant holding it: the gateway asks it for every webhook. */
  private readonly byCompany = new Map<string, string>();
  /** The last version of each tenant refused, so a refused row is reported once, not every reload. */
  private readonly refused = new Map<string, string>();
  private readonly waiting = new Map<string, Promise<TenantConfig | undefined>>();
  private readonly woken = new Map<string, Set<() => void>>();
  /** When a wait for each tenant last ran out: its later messages are not held a whole window again. */
  private readonly gaveUp = new Map<string, number>();
  /** Reads applied one after another, so an older read never lands after a newer one. */
  private applying: Promise<unknown> = Promise.resolve();
  private listener: pg.Client | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private waitsReleased = false;

  private constructor(private readonly options: PostgresTenantSourceOptions) {}

  /** Listens first, then reads the table, so no change made in between is missed. */
  static async start(options: PostgresTenantSourceOptions): Promise<PostgresTenantSource> {
    const source = new PostgresTenantSource(options);
    try {
      await source.listen();
      await source.reloadAll();
    } catch (error) {
      await source.close();
      throw storeError('cannot read the tenant store', error);
    }
    source.reloadTimer = setInterval(() => {
      source.reloadAll().catch((error: unknown) => source.logReadFailure(error));
    }, options.reloadIntervalMs);
    source.reloadTimer.unref();
    return source;
  }

  async get(tenantId: string): Promise<TenantConfig | undefined> {
    return this.entries.get(tenantId)?.config;
  }

  async findByCallRailCompany(companyId: string): Promise<TenantConfig | undefined> {
    const tenantId = this.byCompany.get(companyId);
    return tenantId === undefined ? undefined : this.entries.get(tenantId)?.config;
  }

  isDisabled(tenantId: string): boolean {
    return this.entries.get(tenantId)?.enabled === false;
  }

  loaded(): LoadedTenant[] {
    return [...this.entries.values()].map(({ tenantId, version, enabled, updatedAt }) => ({
      tenantId,
      version,
      enabled,
      updatedAt,
    }));
  }

  /**
   * Re-reads the tenant's row until it is there or unknownTenantWaitMs has passed (a rolling deploy, a
   * replica behind), woken early by its NOTIFY. Callers waiting for one tenant share one wait; once a
   * wait for a tenant has run out, its messages for the next unknownTenantWaitMs get one re-read only,
   * so a tenant that does not come costs one window, not one per message.
   */
  waitFor(tenantId: string): Promise<TenantConfig | undefined> {
    const running = this.waiting.get(tenantId);
    if (running) return running;
    const gaveUpAt = this.gaveUp.get(tenantId);
    const recently = gaveUpAt !== undefined && Date.now() - gaveUpAt < this.options.unknownTenantWaitMs;
    const wait = this.pollFor(tenantId, recently ? 0 : this.options.unknownTenantWaitMs).finally(() =>
      this.waiting.delete(tenantId),
    );
    this.waiting.set(tenantId, wait);
    return wait;
  }

  /**
   * Ends every wait for an unknown tenant with a retryable failure, so its message stays uncommitted for
   * the partition's next owner: a stopping consumer drains in seconds, not after the wait's minutes.
   */
  releaseWaits(): void {
    this.waitsReleased = true;
    for (const wake of [...this.woken.values()].flatMap((set) => [...set])) wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.reloadTimer);
    clearTimeout(this.reconnectTimer);
    this.releaseWaits();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.applying.catch(() => undefined);
    if (this.options.ownsPool) await this.options.pool.end();
  }

  private async pollFor(tenantId: string, waitMs: number): Promise<TenantConfig | undefined> {
    const deadline = Date.now() + waitMs;
    let pause = 250;
    let failure: unknown;
    // Not given up on: the message stays uncommitted and the partition's next owner waits for it.
    const released = () =>
      new LeadstreamError('tenant_store_unavailable', `stopped while waiting for tenant ${tenantId}`);
    for (;;) {
      if (this.waitsReleased) throw released();
      // A store that cannot be read now may answer before the deadline: only the last failure counts.
      failure = await this.reloadOne(tenantId).then(
        () => undefined,
        (error: unknown) => error,
      );
      const entry = this.entries.get(tenantId);
      if (entry) return entry.config;
      const left = deadline - Date.now();
      if (left <= 0) {
        if (failure !== undefined) throw storeError(`cannot read tenant ${tenantId} from the store`, failure);
        if (waitMs > 0) this.gaveUp.set(tenantId, Date.now());
        return undefined;
      }
      // Released during the read: its wake-up found no sleeper, so the pause would run its full length.
      if (this.waitsReleased) throw released();
      await this.sleepUnlessNotified(tenantId, Math.min(pause, left));
      pause = Math.min(pause * 2, WAIT_POLL_MAX_MS);
    }
  }

  private sleepUnlessNotified(tenantId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wakers = this.woken.get(tenantId) ?? new Set<() => void>();
      this.woken.set(tenantId, wakers);
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        if (wakers.size === 0) this.woken.delete(tenantId);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: 'leadstream-tenants-listen',
    });
    client.on('notification', (message) => {
      if (message.channel !== TENANTS_CHANNEL || !message.payload) return;
      const tenantId = message.payload;
      this.reloadOne(tenantId).catch((error: unknown) => this.logReadFailure(error));
    });
    const lost = (error?: Error) => {
      if (this.closed || this.listener !== client) return;
      this.listener = undefined;
      this.options.logger.warn(
        { workflow_step: 'startup', status: 'tenant_store_listen_lost', err: error },
        'lost the tenant store LISTEN connection; reconnecting, then reading every tenant again',
      );
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    await client.query(`LISTEN ${TENANTS_CHANNEL}`);
    this.listener = client;
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    this.reconnectTimer = setTimeout(() => {
      this.listen().then(
        // What changed while no one listened; a failed read is caught up by the periodic one.
        () => this.reloadAll().catch((error: unknown) => this.logReadFailure(error)),
        (error: unknown) => {
          this.logReadFailure(error);
          this.scheduleReconnect();
        },
      );
    }, RECONNECT_MS);
    this.reconnectTimer.unref();
  }

  private reloadAll(): Promise<void> {
    return this.serially(async () => {
      const { rows } = await this.options.pool.query<TenantRow>(`SELECT ${TENANT_COLUMNS} FROM tenants`);
      const present = new Set(rows.map((row) => row.tenant_id));
      for (const tenantId of [...this.entries.keys()]) if (!present.has(tenantId)) this.remove(tenantId);
      for (const row of rows) this.apply(row);
    });
  }

  private reloadOne(tenantId: string): Promise<void> {
    return this.serially(async () => {
      const { rows } = await this.options.pool.query<TenantRow>(
        `SELECT ${TENANT_COLUMNS} FROM tenants WHERE tenant_id = $1`,
        [tenantId],
      );
      const [row] = rows;
      if (row) this.apply(row);
      else this.remove(tenantId);
    });
  }

  private serially(read: () => Promise<void>): Promise<void> {
    const next = this.applying.then(read, read);
    this.applying = next.catch(() => undefined);
    return next.catch((error: unknown) => {
      throw storeError('cannot read the tenant store', error);
    });
  }

  private apply(row: TenantRow): void {
    const current = this.entries.get(row.tenant_id);
    const version = BigInt(row.version);
    // Versions come from one sequence: an equal one is this very row, a lower one an older read.
    if (current && BigInt(current.version) >= version) return;
    if (this.refused.get(row.tenant_id) === row.version) return;
    const result = validateTenantRow(row.tenant_id, row.configuration, this.options.outbound);
    const claimed = result.config ? this.companyClaims(result.config) : [];
    const issues = [...result.issues, ...claimed];
    if (result.config === undefined || issues.length > 0) {
      this.refused.set(row.tenant_id, row.version);
      this.options.metrics.tenantConfigRejections.inc(this.options.metrics.tenant(row.tenant_id));
      this.options.logger.error(
        {
          workflow_step: 'startup',
          status: 'tenant_config_rejected',
          error_type: 'config_error',
          tenant_id: row.tenant_id,
          version: row.version,
          issues: issues.map((issue) => `${issue.path}: ${issue.message}`),
          kept_version: current?.version ?? null,
        },
        current
          ? `tenant ${row.tenant_id} version ${row.version} refused; version ${current.version} stays in force`
          : `tenant ${row.tenant_id} version ${row.version} refused; the tenant has no configuration in force`,
      );
      return;
    }
    this.refused.delete(row.tenant_id);
    this.releaseCompanies(current);
    for (const company of result.config.callrail?.company_ids ?? [])
      this.byCompany.set(company, row.tenant_id);
    this.entries.set(row.tenant_id, {
      tenantId: row.tenant_id,
      config: result.config,
      version: row.version,
      enabled: row.enabled,
      updatedAt: row.updated_at,
    });
    this.options.metrics.tenantConfigVersion.set(this.options.metrics.tenant(row.tenant_id), Number(version));
    this.options.logger.info(
      {
        workflow_step: 'startup',
        status: 'tenant_config_loaded',
        tenant_id: row.tenant_id,
        version: row.version,
        enabled: row.enabled,
        previous_version: current?.version ?? null,
      },
      `tenant ${row.tenant_id} version ${row.version} in force${row.enabled ? '' : ' (disabled)'}`,
    );
    this.changed(row.tenant_id);
  }

  /** A CallRail company another tenant already holds would make webhooks' owner ambiguous. */
  private companyClaims(config: TenantConfig): Array<{ path: string; message: string }> {
    return (config.callrail?.company_ids ?? []).flatMap((company, index) => {
      const owner = this.byCompany.get(company);
      return owner === undefined || owner === config.tenant_id
        ? []
        : [{ path: `callrail.company_ids.${index}`, message: `already claimed by ${owner}` }];
    });
  }

  private releaseCompanies(entry: Entry | undefined): void {
    for (const company of entry?.config.callrail?.company_ids ?? []) {
      if (this.byCompany.get(company) === entry?.tenantId) this.byCompany.delete(company);
    }
  }

  private remove(tenantId: string): void {
    this.refused.delete(tenantId);
    const entry = this.entries.get(tenantId);
    if (!entry) return;
    this.entries.delete(tenantId);
    this.releaseCompanies(entry);
    this.options.metrics.tenantConfigVersion.remove(this.options.metrics.tenant(tenantId));
    this.options.logger.info(
      { workflow_step: 'startup', status: 'tenant_config_removed', tenant_id: tenantId },
      `tenant ${tenantId} removed from the store`,
    );
    this.changed(tenantId);
  }

  private changed(tenantId: string): void {
    this.gaveUp.delete(tenantId);
    for (const wake of [...(this.woken.get(tenantId) ?? [])]) wake();
  }

  private logReadFailure(error: unknown): void {
    if (this.closed) return;
    this.options.logger.warn(
      { workflow_step: 'startup', status: 'tenant_store_unavailable', err: error },
      'cannot read the tenant store; the configuration in force stays',
    );
  }
}

function storeError(message: string, cause: unknown): LeadstreamError {
  if (cause instanceof LeadstreamError) return cause;
  return new LeadstreamError('tenant_store_unavailable', `${message}: ${(cause as Error).message}`, {
    cause,
  });
}
