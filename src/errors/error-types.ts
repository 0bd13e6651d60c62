/**
 * Every failure leadstream reports has one of these types. The same string appears in logs
 * (`error_type`), metric labels and dead-letter headers, so an SRE can follow one failure
 * across all three.
 */
export const ERROR_TYPES = {
  validation_error: { retryable: false, meaning: 'an input did not match its schema' },
  signature_error: { retryable: false, meaning: 'a webhook signature was missing or wrong' },
  unknown_tenant: { retryable: false, meaning: 'no configuration exists for the tenant' },
  tenant_disabled: {
    retryable: false,
    meaning:
      'the tenant is disabled in the tenant store: its calls are kept as dead letters, to replay once enabled',
  },
  tenant_store_unavailable: { retryable: true, meaning: 'the PostgreSQL tenant store could not be read' },
  payload_too_large: { retryable: false, meaning: 'a request body was larger than the gateway accepts' },
  unsupported_media_type: {
    retryable: false,
    meaning: 'a request body was neither JSON nor form-urlencoded',
  },
  forbidden: {
    retryable: false,
    meaning:
      'the caller is authenticated but the tenant does not allow this (forms off, an origin not allowed)',
  },
  rate_limited: {
    retryable: true,
    meaning: 'a client or tenant sent more requests than its budget at the gateway allows',
  },
  record_too_large: {
    retryable: false,
    meaning: 'a record is larger than the Kafka topic accepts (KAFKA_MAX_RECORD_BYTES)',
  },
  outbound_url_refused: {
    retryable: false,
    meaning:
      'a URL leadstream would call is refused by the outbound policy (not https, or a loopback, link-local, private or unique-local address)',
  },
  config_error: { retryable: false, meaning: 'a tenant or process configuration is invalid' },
  serde_error: { retryable: false, meaning: 'a Kafka message could not be decoded or encoded' },
  schema_registry_unavailable: { retryable: true, meaning: 'the schema registry did not answer' },
  kafka_unavailable: { retryable: true, meaning: 'the Kafka cluster did not acknowledge a write' },
  analysis_error: { retryable: true, meaning: 'the analyzer failed' },
  field_mapping_error: { retryable: false, meaning: 'a configured mapping could not produce a valid value' },
  secret_error: { retryable: false, meaning: 'a secret reference could not be resolved' },
  crm_auth_error: { retryable: false, meaning: 'the CRM refused the credentials' },
  crm_rate_limited: { retryable: true, meaning: 'the CRM asked us to slow down' },
  crm_unavailable: { retryable: true, meaning: 'the CRM timed out, failed or could not be reached' },
  crm_rejected: { retryable: false, meaning: 'the CRM rejected the request as invalid' },
  crm_not_found: {
    retryable: false,
    meaning: 'a CRM object or property the configuration names does not exist',
  },
  callrail_api_error: {
    retryable: false,
    meaning: "CallRail's API refused a request (credentials, an unknown account or call, a bad answer)",
  },
  callrail_unavailable: {
    retryable: true,
    meaning: "CallRail's API timed out, failed, asked us to slow down or could not be reached",
  },
  notification_rejected: {
    retryable: false,
    meaning:
      'a notification or SMS provider refused the message for good (credentials, an invalid recipient or channel)',
  },
  notification_unavailable: {
    retryable: true,
    meaning:
      'a notification or SMS provider timed out, failed, asked us to slow down or could not be reached',
  },
  unsupported_crm: { retryable: false, meaning: 'no adapter is registered for the CRM type' },
  unknown_crm_type: {
    retryable: true,
    meaning:
      'a command names a CRM added to a newer schema than this process reads (decoded as unknown): retried until a delivery that knows the CRM takes it',
  },
  internal_error: { retryable: false, meaning: 'a bug: an unexpected exception' },
} as const satisfies Record<string, { retryable: boolean; meaning: string }>;

export type ErrorType = keyof typeof ERROR_TYPES;
