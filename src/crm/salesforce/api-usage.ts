import { LRUCache } from 'lru-cache';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Logger } from '../../observability/logger.js';

/** Usage share from which the org is warned about (other integrations share the same budget). */
const WARN_SHARE = 0.8;
const WARN_EVERY_MS = 10 * 60_000;
/** While the org's budget is spent, calls wait this long before one probes again. */
const EXHAUSTED_BACKOFF_MS = 60_000;

interface Usage {
  used: number;
  limit: number;
  at: number;
  warnedAt: number | undefined;
}

/**
 * The org's 24-hour API request budget as Salesforce reports it in `Sforce-Limit-Info: api-usage=used/limit`
 * on every answer. A token bucket cannot know it (it depends on the edition and licences, and other
 * integrations spend from it), so it is read back: logged when it runs low, and once spent, calls are
 * held back (crm_rate_limited) instead of collecting REQUEST_LIMIT_EXCEEDED answers.
 */
export class ApiUsageGuard {
  private readonly usage = new LRUCache<string, Usage>({ max: 10_000 });

  constructor(private readonly now: () => number = Date.now) {}

  record(tenantId: string, apiUsage: { used: number; limit: number } | undefined, logger: Logger): void {
    if (apiUsage === undefined || apiUsage.limit <= 0) return;
    const at = this.now();
    const previous = this.usage.get(tenantId);
    const entry: Usage = { ...apiUsage, at, warnedAt: previous?.warnedAt };
    if (apiUsage.used >= apiUsage.limit * WARN_SHARE && (entry.warnedAt ?? -Infinity) <= at - WARN_EVERY_MS) {
      entry.warnedAt = at;
      logger.warn(
        { workflow_step: 'crm_push', api_usage: apiUsage.used, api_limit: apiUsage.limit },
        "Salesforce org's daily API request budget is running low",
      );
    }
    this.usage.set(tenantId, entry);
  }

  /** Throws crm_rate_limited while the last answer said the budget is spent and it is recent. */
  check(tenantId: string): void {
    const entry = this.usage.get(tenantId);
    if (!entry || entry.used < entry.limit) return;
    const wait = entry.at + EXHAUSTED_BACKOFF_MS - this.now();
    if (wait <= 0) return;
    throw new LeadstreamError(
      'crm_rate_limited',
      `Salesforce org's daily API request budget is spent (${entry.used}/${entry.limit}); waiting before the next call`,
      {
        retryAfterMs: wait,
        details: { operation: 'api_usage', api_usage: entry.used, api_limit: entry.limit },
      },
    );
  }
}
