import type { DescribeSObjectResult } from 'jsforce';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Logger } from '../../observability/logger.js';
import { ProvisionedAnswers } from '../kernel/provisioned-answers.js';
import { IDEMPOTENCY_KEY_FIELD } from './idempotency-key-field.js';
import type { SalesforceSession } from './salesforce-session.js';

type DescribedField = DescribeSObjectResult['fields'][number];

/** What upsert by the key needs of the field as the integration user sees it: found, unique, writable. */
export function isUsableKeyField(field: DescribedField | undefined): boolean {
  return (
    field !== undefined &&
    field.externalId === true &&
    field.unique === true &&
    field.createable === true &&
    field.updateable === true
  );
}

/**
 * Salesforce's answer to an upsert by the key when it finds no such external id (404 NOT_FOUND): the
 * field, or the integration user's access to it, is gone.
 */
export function refusesUpsertByKey(error: unknown): boolean {
  return (
    error instanceof LeadstreamError &&
    error.details.operation === 'Lead.upsert' &&
    error.details.error_code === 'NOT_FOUND'
  );
}

/** The key field in a describe of Lead, if the integration user can see it. */
export function keyFieldOf(describe: DescribeSObjectResult): DescribedField | undefined {
  return describe.fields.find((field) => field.name === IDEMPOTENCY_KEY_FIELD);
}

/**
 * Whether each tenant's org has Lead.Leadstream_Idempotency_Key__c as a unique external id the
 * integration user may write, read from Lead's describe once per tenant and kept a few minutes, so an
 * org provisioned while delivery runs is soon used; forgotten when Salesforce refuses an upsert by it.
 */
export class OrgIdempotencyKeys {
  private readonly answers: ProvisionedAnswers;

  constructor(options: { ttlMs?: number } = {}) {
    this.answers = new ProvisionedAnswers(options);
  }

  has(session: SalesforceSession, logger: Logger): Promise<boolean> {
    return this.answers.has(
      session.tenantId,
      'Lead',
      () => this.ask(session),
      () =>
        logger.info(
          { tenant_id: session.tenantId, object_type: 'Lead', field: IDEMPOTENCY_KEY_FIELD },
          `Salesforce org has no unique external id ${IDEMPOTENCY_KEY_FIELD} on Lead that the integration user may write: only the delivery ledger keeps a redelivered command from creating a second lead; leadstream crm provision would make it idempotent in Salesforce`,
        ),
    );
  }

  /** Asks again next time: the org refused an upsert by the key, so the field or access to it may be gone. */
  forget(tenantId: string): void {
    this.answers.forget(tenantId, 'Lead');
  }

  private async ask(session: SalesforceSession): Promise<boolean> {
    const describe = await session
      .call('Lead.describe', (conn) => conn.sobject('Lead').describe())
      .catch((error: unknown) => {
        // Only a failure worth retrying stops the delivery; otherwise it goes as an unprovisioned org's.
        if (!(error instanceof LeadstreamError) || error.retryable || error.type === 'crm_auth_error')
          throw error;
        return undefined;
      });
    return describe !== undefined && isUsableKeyField(keyFieldOf(describe));
  }
}
