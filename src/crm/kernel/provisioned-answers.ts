import { LRUCache } from 'lru-cache';

/**
 * Whether each tenant's CRM has what `leadstream crm provision` makes there (a unique property or
 * field delivery upserts by), per tenant and scope (an object type), asked once and kept a few minutes
 * so a CRM provisioned while delivery runs is soon used, and asked again after `forget` (the CRM
 * refused an upsert by it). A failed question is not kept. The first "no" of each tenant is reported
 * once: delivery then relies on the ledger alone, which an operator should know, but not per call.
 */
export class ProvisionedAnswers {
  private readonly answers: LRUCache<string, Promise<boolean>>;
  private readonly toldToProvision = new Set<string>();

  constructor(options: { ttlMs?: number } = {}) {
    this.answers = new LRUCache({ max: 10_000, ttl: options.ttlMs ?? 10 * 60 * 1000 });
  }

  /** `tell` reports the tenant's first "no", with the logger of the delivery that met it. */
  has(tenantId: string, scope: string, ask: () => Promise<boolean>, tell: () => void): Promise<boolean> {
    const key = `${tenantId}\u0000${scope}`;
    const cached = this.answers.get(key);
    if (cached !== undefined) return cached;
    const answer = ask().then((has) => {
      if (!has && !this.toldToProvision.has(tenantId)) {
        this.toldToProvision.add(tenantId);
        tell();
      }
      return has;
    });
    this.answers.set(key, answer);
    answer.catch(() => this.answers.delete(key));
    return answer;
  }

  forget(tenantId: string, scope: string): void {
    this.answers.delete(`${tenantId}\u0000${scope}`);
  }
}
