import type { Logger } from '../observability/logger.js';
import type { Clock } from '../time/clock.js';
import type { CrmAdapter } from './crm-adapter.js';

/** Every CRM adapter this build ships, one line each. */
export function defaultCrmAdapters(_deps: { logger: Logger; clock: Clock }): CrmAdapter[] {
  return [];
}
