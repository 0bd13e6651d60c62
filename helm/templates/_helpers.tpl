{{/* Names and labels shared by every object of the release. */}}

{{- define "leadstream.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "leadstream.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "leadstream.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "leadstream.selectorLabels" -}}
app.kubernetes.io/name: {{ include "leadstream.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "leadstream.labels" -}}
helm.sh/chart: {{ include "leadstream.chart" . }}
{{ include "leadstream.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: leadstream
{{- end }}

{{/* A role's objects: call with (dict "root" $ "role" "gateway"). */}}
{{- define "leadstream.roleName" -}}
{{- printf "%s-%s" (include "leadstream.fullname" .root) .role | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "leadstream.roleSelectorLabels" -}}
{{ include "leadstream.selectorLabels" .root }}
app.kubernetes.io/component: {{ .role }}
{{- end }}

{{- define "leadstream.roleLabels" -}}
{{ include "leadstream.labels" .root }}
app.kubernetes.io/component: {{ .role }}
{{- end }}

{{- define "leadstream.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "leadstream.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "leadstream.tenantsConfigMapName" -}}
{{- default (printf "%s-tenants" (include "leadstream.fullname" .)) .Values.tenants.existingConfigMap }}
{{- end }}

{{- define "leadstream.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* The roles in pipeline order; each has a block under .Values.roles. */}}
{{- define "leadstream.roles" -}}
gateway enricher mapper delivery notifier
{{- end }}

{{/* Consumer roles: their input topic, whose lag KEDA scales on. */}}
{{- define "leadstream.inputTopic" -}}
{{- $topics := .root.Values.kafka.topics }}
{{- if eq .role "enricher" }}{{ $topics.rawCalls }}
{{- else if eq .role "mapper" }}{{ $topics.enrichedCalls }}
{{- else if eq .role "delivery" }}{{ $topics.crmCommands }}
{{- else if eq .role "notifier" }}{{ $topics.notifications }}
{{- end }}
{{- end }}

{{/* Where the file resolver reads secrets: the existing Secrets, projected into one volume. */}}
{{- define "leadstream.secretsDir" -}}
/var/run/secrets/leadstream
{{- end }}

{{- define "leadstream.tenantsDir" -}}
/etc/leadstream/tenants
{{- end }}

{{/* Whether a role reads CRM/CallRail secrets: call with (dict "root" $ "role" NAME). */}}
{{- define "leadstream.readsSecrets" -}}
{{- if and (ne .root.Values.secrets.source "none") (has .role .root.Values.secrets.roles) }}true{{ end }}
{{- end }}

{{/*
SECRETS_BACKEND of one role: call with (dict "root" $ "role" NAME). A role that reads no secrets gets
env with no LEADSTREAM_SECRET_ variables, so a reference it meets fails by name instead of being read.
*/}}
{{- define "leadstream.secretsBackend" -}}
{{- if include "leadstream.readsSecrets" . }}
{{- get (dict "env" "env" "file" "file" "gsm" "google") .root.Values.secrets.source }}
{{- else }}env{{ end }}
{{- end }}
