import type { DescribeSObjectResult } from 'jsforce';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { CrmTarget, ProvisionOutcome } from '../crm-definition.js';
import { SalesforceClientFactory } from './client-factory.js';
import type { SalesforceCrmConfig } from './config.js';
import { IDEMPOTENCY_KEY_FIELD, idempotencyKeyCustomField } from './idempotency-key-field.js';
import { isUsableKeyField, keyFieldOf } from './org-idempotency-keys.js';
import type { SalesforceSession } from './salesforce-session.js';

const FIELD = `Lead.${IDEMPOTENCY_KEY_FIELD}`;

/**
 * The Tooling API creates a field without field-level security for any profile, and cannot grant it:
 * until a person does, the integration user neither sees nor writes the field, and delivery goes on
 * without it.
 */
const GRANT_FIELD_ACCESS = `give the integration user Edit access to ${FIELD} (Setup, Object Manager, Lead, Fields & Relationships, Leadstream Idempotency Key, Set Field-Level Security, for the user's profile; or a permission set assigned to the user), then run leadstream crm provision again to check`;

const NOT_AN_EXTERNAL_ID = `${FIELD} exists but is not both Unique and an External ID, so Salesforce cannot upsert leads by it: edit the field to set both (or delete it) and run leadstream crm provision again`;

export interface IdempotencyKeyFieldReport {
  field: typeof FIELD;
  /** `conflict`: a field of that name that upsert cannot use. */
  status: 'created' | 'existing' | 'conflict';
  /** Whether the integration user sees the field and may write it (its field-level security). */
  editable_by_integration_user: boolean;
  /** What a person must do before delivery upserts leads by the field. */
  action?: string;
}

const describeLead = (session: SalesforceSession): Promise<DescribeSObjectResult> =>
  session.call('Lead.describe', (conn) => conn.sobject('Lead').describe());

function isDuplicateName(error: unknown): boolean {
  return error instanceof LeadstreamError && error.details.error_code === 'DUPLICATE_DEVELOPER_NAME';
}

function judged(described: DescribeSObjectResult, status: 'created' | 'existing'): IdempotencyKeyFieldReport {
  const field = keyFieldOf(described);
  if (field !== undefined && (field.externalId !== true || field.unique !== true)) {
    return {
      field: FIELD,
      status: 'conflict',
      editable_by_integration_user: false,
      action: NOT_AN_EXTERNAL_ID,
    };
  }
  return isUsableKeyField(field)
    ? { field: FIELD, status, editable_by_integration_user: true }
    : { field: FIELD, status, editable_by_integration_user: false, action: GRANT_FIELD_ACCESS };
}

/**
 * Creates Lead.Leadstream_Idempotency_Key__c (Text(80), Unique, case-sensitive, External ID) through
 * the Tooling API, so delivery can upsert new leads by it. Idempotent: a field the integration user
 * sees is judged as it is; one it cannot see yet answers DUPLICATE_DEVELOPER_NAME to the create and is
 * reported as existing, without access.
 */
export async function provisionIdempotencyKeyField(
  session: SalesforceSession,
): Promise<IdempotencyKeyFieldReport> {
  const before = await describeLead(session);
  if (keyFieldOf(before) !== undefined) return judged(before, 'existing');
  const created = await session
    .call('CustomField.create', (conn) =>
      conn.requestPost(session.dataPath('/tooling/sobjects/CustomField'), idempotencyKeyCustomField),
    )
    .then(
      () => true,
      (error: unknown) => {
        if (isDuplicateName(error)) return false;
        throw error;
      },
    );
  return judged(await describeLead(session), created ? 'created' : 'existing');
}

/**
 * `leadstream crm provision` for Salesforce: the idempotency key field new leads are upserted by. A
 * conflicting field, or one the integration user may not edit, needs a person.
 */
export async function provisionSalesforce({
  tenantId,
  config,
  secrets,
  outbound,
  clock,
  timeoutMs,
  logger,
}: CrmTarget<SalesforceCrmConfig>): Promise<ProvisionOutcome> {
  const factory = new SalesforceClientFactory({ clock, timeoutMs });
  const session = await factory.sessionFor(tenantId, config, secrets, logger, outbound);
  const report = { idempotency_key_field: await provisionIdempotencyKeyField(session) };
  return { report, needsDecision: report.idempotency_key_field.action !== undefined };
}
