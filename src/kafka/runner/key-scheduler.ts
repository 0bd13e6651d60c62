/** Something to run, known to the scheduler by its ordering key and its tenant. */
export interface Schedulable {
  readonly partition: number;
  /** Items with the same key (within a partition and tenant) run one at a time, in the order they were added. */
  readonly key: string;
  readonly tenant: string;
}

export interface KeySchedulerLimits {
  /** Items running at once for one tenant: a tenant with a deep backlog leaves room for the others. */
  maxInFlightPerTenant: number;
}

interface KeyQueue<T> {
  readonly id: string;
  readonly tenant: string;
  readonly partition: number;
  readonly items: T[];
  /** Its head is running or parked: nothing else of this key may start. */
  busy: boolean;
}

interface TenantQueue {
  inFlight: number;
  /** Keys whose head may start, in the order they became ready. */
  readonly ready: string[];
  /** In `readyTenants` (at most once). */
  queued: boolean;
}

/**
 * Decides what runs next inside a stage runner: at most one item per key at a time, in key order;
 * tenants take turns, each up to its in-flight limit. Pure bookkeeping: the runner calls `next()` while
 * it has room, `finish()` when an item is done, `park()`/`unpark()` around a retry wait.
 */
export class KeyScheduler<T extends Schedulable> {
  private readonly keys = new Map<string, KeyQueue<T>>();
  private readonly tenants = new Map<string, TenantQueue>();
  private readonly readyTenants: string[] = [];
  private readyHead = 0;
  private queuedItems = 0;

  constructor(private readonly limits: KeySchedulerLimits) {}

  /** Items added and not finished, running and parked included. */
  get size(): number {
    return this.queuedItems;
  }

  add(item: T): void {
    const id = keyIdOf(item);
    let queue = this.keys.get(id);
    if (!queue) {
      queue = { id, tenant: item.tenant, partition: item.partition, items: [], busy: false };
      this.keys.set(id, queue);
    }
    queue.items.push(item);
    this.queuedItems++;
    if (queue.items.length === 1 && !queue.busy) this.makeReady(queue);
  }

  /** The next item allowed to start, now counted as running; undefined when none may start. */
  next(): T | undefined {
    while (this.readyHead < this.readyTenants.length) {
      const tenantId = this.readyTenants[this.readyHead++] as string;
      this.compactReadyTenants();
      const tenant = this.tenants.get(tenantId);
      if (!tenant) continue;
      tenant.queued = false;
      const queue = this.takeReadyKey(tenant);
      if (!queue) continue;
      if (tenant.inFlight >= this.limits.maxInFlightPerTenant) {
        // Put back: it runs when one of the tenant's items finishes.
        tenant.ready.unshift(queue.id);
        continue;
      }
      queue.busy = true;
      tenant.inFlight++;
      this.requeueTenant(tenantId, tenant);
      return queue.items[0];
    }
    return undefined;
  }

  /** The item is done (succeeded or given up): the next item of its key may start. */
  finish(item: T): void {
    const tenant = this.tenants.get(item.tenant);
    if (tenant) tenant.inFlight--;
    const queue = this.keys.get(keyIdOf(item));
    // Gone when its partition was dropped while it ran.
    if (!queue || queue.items[0] !== item) {
      if (tenant) this.requeueTenant(item.tenant, tenant);
      this.forgetIdleTenant(item.tenant);
      return;
    }
    queue.items.shift();
    this.queuedItems--;
    queue.busy = false;
    if (queue.items.length === 0) this.keys.delete(queue.id);
    else this.makeReady(queue);
    if (tenant) this.requeueTenant(item.tenant, tenant);
    this.forgetIdleTenant(item.tenant);
  }

  /** The item waits before another attempt: its key stays blocked, its tenant's slot is free. */
  park(item: T): void {
    const tenant = this.tenants.get(item.tenant);
    if (!tenant) return;
    tenant.inFlight--;
    this.requeueTenant(item.tenant, tenant);
  }

  /** The parked item may run again, ahead of the keys that became ready while it waited. */
  unpark(item: T): void {
    const queue = this.keys.get(keyIdOf(item));
    if (!queue || queue.items[0] !== item) return;
    queue.busy = false;
    const tenant = this.tenantOf(queue.tenant);
    tenant.ready.unshift(queue.id);
    this.requeueTenant(queue.tenant, tenant);
  }

  /** Forgets a partition this runner no longer owns; returns its items that were waiting or parked. */
  dropPartition(partition: number): T[] {
    const dropped: T[] = [];
    for (const [id, queue] of this.keys) {
      if (queue.partition !== partition) continue;
      this.keys.delete(id);
      this.queuedItems -= queue.items.length;
      dropped.push(...queue.items);
    }
    for (const tenantId of this.tenants.keys()) this.forgetIdleTenant(tenantId);
    return dropped;
  }

  private makeReady(queue: KeyQueue<T>): void {
    const tenant = this.tenantOf(queue.tenant);
    tenant.ready.push(queue.id);
    this.requeueTenant(queue.tenant, tenant);
  }

  private takeReadyKey(tenant: TenantQueue): KeyQueue<T> | undefined {
    for (let id = tenant.ready.shift(); id !== undefined; id = tenant.ready.shift()) {
      const queue = this.keys.get(id);
      if (queue && !queue.busy && queue.items.length > 0) return queue;
    }
    return undefined;
  }

  private requeueTenant(tenantId: string, tenant: TenantQueue): void {
    if (tenant.queued || tenant.ready.length === 0) return;
    if (tenant.inFlight >= this.limits.maxInFlightPerTenant) return;
    tenant.queued = true;
    this.readyTenants.push(tenantId);
  }

  private tenantOf(tenantId: string): TenantQueue {
    let tenant = this.tenants.get(tenantId);
    if (!tenant) {
      tenant = { inFlight: 0, ready: [], queued: false };
      this.tenants.set(tenantId, tenant);
    }
    return tenant;
  }

  private forgetIdleTenant(tenantId: string): void {
    const tenant = this.tenants.get(tenantId);
    if (tenant && tenant.inFlight <= 0 && !tenant.queued && tenant.ready.length === 0) {
      this.tenants.delete(tenantId);
    }
  }

  private compactReadyTenants(): void {
    if (this.readyHead > 1_024 && this.readyHead * 2 > this.readyTenants.length) {
      this.readyTenants.splice(0, this.readyHead);
      this.readyHead = 0;
    }
  }
}

/** A key belongs to one tenant: the same key of two tenants (a shared phone number) is two queues. */
function keyIdOf(item: Schedulable): string {
  return `${item.partition}\u0000${item.tenant}\u0000${item.key}`;
}
