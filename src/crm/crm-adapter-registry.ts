import { LeadstreamError } from '../errors/leadstream-error.js';
import type { CrmType } from '../events/crm-command.js';
import type { CrmAdapter } from './crm-adapter.js';

/** The adapters a delivery process can use, by CRM type. */
export class CrmAdapterRegistry {
  private readonly adapters = new Map<CrmType, CrmAdapter>();

  constructor(adapters: readonly CrmAdapter[]) {
    for (const adapter of adapters) this.adapters.set(adapter.type, adapter);
  }

  get(type: CrmType): CrmAdapter {
    const adapter = this.adapters.get(type);
    if (!adapter) throw new LeadstreamError('unsupported_crm', `no adapter for CRM type ${type}`);
    return adapter;
  }
}
