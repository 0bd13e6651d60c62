import { LRUCache } from 'lru-cache';

interface CachedClient<T> {
  /** What it was built from: the tenant's configuration object, the resolved token, its address, the outbound guard. */
  inputs: readonly unknown[];
  client: T;
}

/**
 * One SDK client per tenant, built again as soon as anything it was built from is another value: a
 * reloaded configuration (a new object), a rotated token, another address or outbound guard.
 */
export class ClientCache<T> {
  private readonly clients: LRUCache<string, CachedClient<T>>;

  constructor(maxTenants = 1000) {
    this.clients = new LRUCache({ max: maxTenants });
  }

  clientFor(tenantId: string, inputs: readonly unknown[], build: () => T): T {
    const cached = this.clients.get(tenantId);
    if (cached?.inputs.length === inputs.length && cached.inputs.every((input, i) => input === inputs[i])) {
      return cached.client;
    }
    const client = build();
    this.clients.set(tenantId, { inputs, client });
    return client;
  }
}
