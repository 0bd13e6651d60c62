import { LeadstreamError } from '../errors/leadstream-error.js';
import type { CrmCommand } from '../events/crm-command.js';
import type { CrmAdapter } from './crm-adapter.js';

/** The adapters a delivery process can use, by CRM type. */
export class CrmAdapterRegistry {
  private readonly adapters = new Map<string, CrmAdapter>();

  constructor(adapters: readonly CrmAdapter[]) {
    for (const adapter of adapters) this.adapters.set(adapter.type, adapter);
  }

  /**
   * An `unknown` type is a CRM this process's schema predates, which a newer delivery will handle: a
   * retryable failure, where a known type without an adapter is a deployment mistake.
   */
  get(type: CrmCommand['crm_type']): CrmAdapter {
    if (type === 'unknown') {
      throw new LeadstreamError(
        'unknown_crm_type',
        'the command names a CRM type this delivery does not know yet (decoded as unknown): it needs a delivery built with the newer CrmCommand schema',
      );
    }
    const adapter = this.adapters.get(type);
    if (!adapter) throw new LeadstreamError('unsupported_crm', `no adapter for CRM type ${type}`);
    return adapter;
  }
}
