{{/*
The process settings of one role (src/config/settings.ts), as container env: call with
(dict "root" $ "role" NAME "config" ROLE_VALUES).
*/}}
{{- define "leadstream.env" -}}
{{- $v := .root.Values }}
- name: KAFKA_BROKERS
  value: {{ join "," $v.kafka.brokers | quote }}
- name: KAFKA_CLIENT_ID
  value: {{ printf "%s-%s" $v.kafka.clientId .role | quote }}
- name: KAFKA_CONSUMER_GROUP_PREFIX
  value: {{ $v.kafka.consumerGroupPrefix | quote }}
- name: TOPIC_RAW_CALLS
  value: {{ $v.kafka.topics.rawCalls | quote }}
- name: TOPIC_ENRICHED_CALLS
  value: {{ $v.kafka.topics.enrichedCalls | quote }}
- name: TOPIC_CRM_COMMANDS
  value: {{ $v.kafka.topics.crmCommands | quote }}
- name: TOPIC_DEAD_LETTERS
  value: {{ $v.kafka.topics.deadLetters | quote }}
- name: TOPIC_NOTIFICATIONS
  value: {{ $v.kafka.topics.notifications | quote }}
- name: TOPIC_PARTITIONS
  value: {{ $v.kafka.partitions | int64 | quote }}
- name: TOPIC_REPLICATION_FACTOR
  value: {{ $v.kafka.replicationFactor | int64 | quote }}
- name: KAFKA_MAX_RECORD_BYTES
  value: {{ $v.kafka.maxRecordBytes | int64 | quote }}
- name: PARTITIONS_CONSUMED_CONCURRENTLY
  value: {{ $v.kafka.partitionsConsumedConcurrently | int64 | quote }}
- name: LEADSTREAM_REGISTRY_URL
  value: {{ $v.schemaRegistry.url | quote }}
{{- with $v.schemaRegistry.existingSecret }}
- name: LEADSTREAM_REGISTRY_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $v.schemaRegistry.usernameKey }}
- name: LEADSTREAM_REGISTRY_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $v.schemaRegistry.passwordKey }}
{{- end }}
- name: TENANT_CONFIG_DIR
  value: {{ include "leadstream.tenantsDir" .root | quote }}
- name: TENANT_STORE
  value: {{ $v.tenants.store | quote }}
{{- if eq $v.tenants.store "postgres" }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $v.tenants.postgres.existingSecret }}
      key: {{ $v.tenants.postgres.urlKey }}
- name: TENANT_STORE_RELOAD_MS
  value: {{ $v.tenants.postgres.reloadMs | int64 | quote }}
- name: TENANT_UNKNOWN_RETRY_MS
  value: {{ $v.tenants.postgres.unknownTenantRetryMs | int64 | quote }}
{{- end }}
{{- $backend := include "leadstream.secretsBackend" . }}
- name: SECRETS_BACKEND
  value: {{ $backend | quote }}
{{- if eq $backend "file" }}
- name: SECRETS_DIR
  value: {{ include "leadstream.secretsDir" .root | quote }}
{{- end }}
- name: SECRETS_CACHE_TTL_MS
  value: {{ $v.secrets.cacheTtlMs | int64 | quote }}
- name: GATEWAY_PORT
  value: {{ $v.ports.gateway | int64 | quote }}
- name: OPS_PORT
  value: {{ $v.ports.ops | int64 | quote }}
{{- if eq .role "gateway" }}
- name: PUBLISH_TIMEOUT_MS
  value: {{ .config.publishTimeoutMs | int64 | quote }}
- name: GATEWAY_BODY_LIMIT_BYTES
  value: {{ .config.limits.bodyLimitBytes | int64 | quote }}
- name: GATEWAY_MAX_TRANSCRIPT_CHARS
  value: {{ .config.limits.maxTranscriptChars | int64 | quote }}
- name: GATEWAY_CLIENT_RATE_PER_SECOND
  value: {{ .config.limits.clientRatePerSecond | int64 | quote }}
- name: GATEWAY_CLIENT_BURST
  value: {{ .config.limits.clientBurst | int64 | quote }}
- name: GATEWAY_TENANT_RATE_PER_SECOND
  value: {{ .config.limits.tenantRatePerSecond | int64 | quote }}
- name: GATEWAY_TENANT_BURST
  value: {{ .config.limits.tenantBurst | int64 | quote }}
- name: GATEWAY_TRUST_PROXY
  value: {{ .config.limits.trustProxy | quote }}
{{- end }}
- name: RETRY_MAX_ATTEMPTS
  value: {{ $v.retry.maxAttempts | int64 | quote }}
- name: RETRY_BASE_DELAY_MS
  value: {{ $v.retry.baseDelayMs | int64 | quote }}
- name: RETRY_MAX_DELAY_MS
  value: {{ $v.retry.maxDelayMs | int64 | quote }}
- name: RETRY_TOPIC_DELAYS_MS
  value: {{ join "," $v.retry.topicDelaysMs | quote }}
- name: RETRY_WINDOW_MS
  value: {{ $v.retry.windowMs | int64 | quote }}
- name: CIRCUIT_FAILURE_THRESHOLD
  value: {{ $v.circuit.failureThreshold | int64 | quote }}
- name: CIRCUIT_OPEN_MS
  value: {{ $v.circuit.openMs | int64 | quote }}
- name: CIRCUIT_MAX_OPEN_MS
  value: {{ $v.circuit.maxOpenMs | int64 | quote }}
- name: LEDGER_MAX_ENTRIES
  value: {{ $v.ledger.maxEntries | int64 | quote }}
- name: RUNNER_MAX_IN_FLIGHT
  value: {{ $v.runner.maxInFlight | int64 | quote }}
- name: RUNNER_MAX_IN_FLIGHT_PER_TENANT
  value: {{ $v.runner.maxInFlightPerTenant | int64 | quote }}
- name: RUNNER_MAX_BUFFERED_PER_PARTITION
  value: {{ $v.runner.maxBufferedPerPartition | int64 | quote }}
- name: RUNNER_COMMIT_INTERVAL_MS
  value: {{ $v.runner.commitIntervalMs | int64 | quote }}
- name: SHUTDOWN_TIMEOUT_MS
  value: {{ mul (int64 .config.shutdownTimeoutSeconds) 1000 | quote }}
- name: METRICS_TENANT_LABEL
  value: {{ $v.metricsTenantLabel | quote }}
- name: CONSUMER_LAG_INTERVAL_MS
  value: {{ $v.consumerLagIntervalMs | int64 | quote }}
- name: OUTBOUND_ALLOWED_HOSTS
  value: {{ join "," ($v.outboundAllowedHosts | default list) | quote }}
- name: LOG_LEVEL
  value: {{ $v.logLevel | quote }}
{{- if eq .role "notifier" }}
{{- with $v.notifications.smtp.existingSecret }}
- name: SMTP_URL
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $v.notifications.smtp.urlKey }}
{{- end }}
- name: SMTP_FROM
  value: {{ $v.notifications.smtp.from | quote }}
{{- end }}
{{- with $v.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}
